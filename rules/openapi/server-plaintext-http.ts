import { redactedUrl } from '../../server/src/engine/message-safety';
import { defineRule } from '../../server/src/engine/rule';
import { isLoopbackUrl, plaintextScheme } from './url-helpers';

/** Server URLs that send requests, tokens and PHI over unencrypted HTTP or WebSocket. */
export default defineRule({
  meta: {
    id: 'server-plaintext-http',
    category: 'transport',
    defaultSeverity: 'error',
    description: 'Server URL uses http:// or ws:// (or Swagger schemes: [http]) on a non-loopback host.',
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    fixSafety: 'unsafe',
    references: { cwe: [319, 311], owaspApi: ['API8:2023'], hipaa: ['164.312(e)(1)', '164.312(e)(2)(ii)'], gdpr: ['Art. 32(1)(a)'] },
  },
  check({ model, report }) {
    for (const server of model.servers) {
      const plaintext = server.expandedUrls.find((url) => plaintextScheme(url) && !isLoopbackUrl(url));
      if (!plaintext) continue;
      const scheme = plaintextScheme(plaintext)!;
      const secure = scheme === 'ws' ? 'wss' : 'https';
      const writtenScheme = model.version === '2.0' ? scheme : plaintextScheme(server.url);
      report({
        node: server.node,
        message:
          model.version === '2.0'
            ? `Swagger 'schemes' allows plain ${scheme}: requests, credentials and PHI travel unencrypted.`
            : `Server URL '${redactedUrl(plaintext)}' is plain ${scheme}: requests, credentials and PHI travel unencrypted.`,
        ...(writtenScheme
          ? {
              fixes: [
                {
                  title: `Use ${secure}`,
                  safety: 'unsafe' as const,
                  edits: [{ node: server.node, find: model.version === '2.0' ? scheme : `${writtenScheme}:`, newText: model.version === '2.0' ? secure : `${writtenScheme === 'ws' ? 'wss' : 'https'}:` }],
                },
              ],
            }
          : {}),
      });
    }
  },
});

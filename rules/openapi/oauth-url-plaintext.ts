import { defineRule } from '../../server/src/engine/rule';
import { authUrls, isRemotePlainHttp, writtenHttpScheme } from './url-helpers';

const WHAT_TRAVELS: Record<string, string> = {
  authorizationUrl: 'the authorization request and its redirect with the code or token',
  tokenUrl: 'client secrets, authorization codes and the issued tokens',
  refreshUrl: 'refresh tokens and the new access tokens',
  openIdConnectUrl: 'the discovery document, so an attacker can swap the token endpoint and signing keys',
};

/** OAuth 2 flow URLs and OpenID Connect discovery URLs served over plain http:// on a non-loopback host. */
export default defineRule({
  meta: {
    id: 'oauth-url-plaintext',
    category: 'transport',
    defaultSeverity: 'error',
    description: 'OAuth authorizationUrl / tokenUrl / refreshUrl or openIdConnectUrl uses http:// on a non-loopback host.',
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    fixSafety: 'unsafe',
    references: { cwe: [319, 523], owaspApi: ['API8:2023', 'API2:2023'], hipaa: ['164.312(e)(1)', '164.312(e)(2)(ii)'], gdpr: ['Art. 32(1)(a)'] },
  },
  check({ model, report }) {
    for (const entry of authUrls(model)) {
      if (!isRemotePlainHttp(entry.url)) continue;
      const scheme = writtenHttpScheme(entry.url)!;
      const where = entry.flow ? `${entry.field} of the '${entry.flow}' flow of security scheme '${entry.schemeName}'` : `openIdConnectUrl of security scheme '${entry.schemeName}'`;
      report({
        node: entry.node,
        part: 'value',
        message: `The ${where} is plain http: ${WHAT_TRAVELS[entry.field] ?? 'credentials and tokens'} cross the network unencrypted.`,
        fixes: [{ title: 'Use https', safety: 'unsafe', edits: [{ node: entry.node, part: 'value', find: `${scheme}:`, newText: 'https:' }] }],
      });
    }
  },
});

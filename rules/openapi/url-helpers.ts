/** `http` or `ws` when the URL is unencrypted, else undefined. */
export function plaintextScheme(url: string): 'http' | 'ws' | undefined {
  const match = /^\s*(https?|wss?):\/\//i.exec(url) ?? /^\s*(http|ws)\s*$/i.exec(url);
  const scheme = match?.[1]?.toLowerCase();
  return scheme === 'http' || scheme === 'ws' ? scheme : undefined;
}

/** The host part of an absolute URL, lower-cased, without credentials or port. */
export function hostOf(url: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(url.trim());
  return match?.[1]?.toLowerCase();
}

/** Loopback and local development hosts, where plain HTTP never crosses a network. */
export function isLoopbackUrl(url: string): boolean {
  const host = hostOf(url);
  if (host === undefined) return false;
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]' || host === '0.0.0.0' || host === '';
}

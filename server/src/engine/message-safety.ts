/**
 * Messages go to terminals, CI logs and SARIF uploads. They may name the spec's structure, never repeat its
 * data: these helpers decide what of a linted file a message may quote.
 */

/**
 * A key safe to name in a message: identifier-like, short, without long digit runs. Keys inside example
 * data can be anything an author typed (`"Jane Roe MRN 00482913"`), so only names that look like field
 * names are quoted; otherwise the message leaves the name out.
 */
export function quotableFieldName(name: string | undefined): string | undefined {
  if (name === undefined || name.length > 48) return undefined;
  if (!/^[A-Za-z_$][A-Za-z0-9_$.-]*$/.test(name) || /\d{3,}/.test(name)) return undefined;
  return name;
}

/** A URL without user-info, query or fragment, for messages: `http://user:pw@host/x?key=...` becomes `http://host/x`. */
export function redactedUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/?#]*@/i, '$1').replace(/[?#].*$/, '');
}

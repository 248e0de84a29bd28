/**
 * An endpoint without what may be a credential: user info, query and fragment are dropped (tokens
 * travel there), scheme, host, port and path are kept (that is what a maintainer needs to see).
 * Anything that does not parse as a URL becomes `<invalid url>` rather than being shown raw.
 */
export function scrubUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return '<invalid url>';
  }
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return url.href;
}

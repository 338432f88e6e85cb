/** A browser's cookie jar for the tests: keeps cookies, and the CSRF token of the last page seen. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  token = '';
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  keep<T extends { headers: Record<string, unknown>; body: string }>(res: T): T {
    const set = res.headers['set-cookie'];
    for (const line of Array.isArray(set) ? set : set ? [set] : []) {
      const [pair] = String(line).split(';');
      const [name, ...value] = String(pair).split('=');
      if (value.join('=') === '') this.cookies.delete(name as string);
      else this.cookies.set(name as string, value.join('='));
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.token = token;
    return res;
  }
}

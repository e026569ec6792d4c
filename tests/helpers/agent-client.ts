/** An agent console client over real HTTP: the cookie the server sets, the CSRF token it gives, and the event stream. */
export class AgentClient {
  private cookie = '';
  csrf = '';
  readonly events: { event: string; data: Record<string, unknown> }[] = [];
  private abort: AbortController | null = null;

  constructor(private readonly baseUrl: string) {}

  async login(username: string, password: string): Promise<Response> {
    const res = await fetch(`${this.baseUrl}/agent/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
    if (res.ok) this.csrf = ((await res.clone().json()) as { csrfToken: string }).csrfToken;
    return res;
  }

  get(path: string): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, { headers: { cookie: this.cookie } });
  }

  post(path: string, body: unknown = {}, csrf: string | null = this.csrf): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        cookie: this.cookie,
        'content-type': 'application/json',
        ...(csrf === null ? {} : { 'x-csrf-token': csrf }),
      },
      body: JSON.stringify(body),
    });
  }

  delete(path: string): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      method: 'DELETE',
      headers: { cookie: this.cookie, 'x-csrf-token': this.csrf },
    });
  }

  /** Opens the server-sent event stream and collects its events. */
  async listen(): Promise<void> {
    this.abort = new AbortController();
    const res = await fetch(`${this.baseUrl}/agent/api/events`, {
      headers: { cookie: this.cookie },
      signal: this.abort.signal,
    });
    if (!res.ok || res.body === null) throw new Error(`events: ${res.status}`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.+)$/m.exec(block)?.[1];
            const data = /^data: (.+)$/m.exec(block)?.[1];
            if (event && data) this.events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
          }
        }
      } catch {
        // Stream closed.
      }
    })();
  }

  /** The latest queue snapshot received. */
  queue(): { key: string; status: string; claimedBy: string | null; queue: string; reason: string }[] {
    const last = [...this.events].reverse().find((e) => e.event === 'queue');
    return (last?.data.conversations ?? []) as never;
  }

  stop(): void {
    this.abort?.abort();
  }
}

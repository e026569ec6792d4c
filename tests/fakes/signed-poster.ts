export interface WebhookDelivery {
  /** HTTP status, or 0 when no answer came (timeout, connection refused). */
  status: number;
  /** Response body, or the reason no answer came. */
  body: string;
  /** 1-based; a `duplicate` post continues the numbering. */
  attempt: number;
}

export interface SignedPosterOptions {
  webhookUrl: string;
  retryDelayMs?: number;
  maxAttempts?: number;
  timeoutMs?: number;
  /** Sent with every post; the headers of a post win over these. */
  defaultHeaders?: Record<string, string>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Posts already signed bytes to a webhook the way a platform does: with retries, a timeout and, on request, a duplicate. */
export class SignedPoster {
  readonly webhookUrl: string;
  readonly timeoutMs: number;
  private readonly retryDelayMs: number;
  private readonly maxAttempts: number;
  private readonly defaultHeaders: Record<string, string>;

  constructor(options: SignedPosterOptions) {
    this.webhookUrl = options.webhookUrl;
    this.retryDelayMs = options.retryDelayMs ?? 200;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.defaultHeaders = options.defaultHeaders ?? {};
  }

  /**
   * Posts `body`, re-posting the same bytes and headers until a 200 or maxAttempts (a non-200 or no answer within
   * timeoutMs counts as a failure). `duplicate` re-posts them once more after the first 200.
   */
  async deliver(
    body: string,
    headers: Record<string, string>,
    options: { duplicate?: boolean } = {},
  ): Promise<WebhookDelivery[]> {
    const deliveries: WebhookDelivery[] = [];
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      if (attempt > 1) await sleep(this.retryDelayMs);
      const answer = await this.post(body, headers);
      deliveries.push({ ...answer, attempt });
      if (answer.status === 200) {
        if (options.duplicate) deliveries.push({ ...(await this.post(body, headers)), attempt: attempt + 1 });
        break;
      }
    }
    return deliveries;
  }

  /** Posts once, no retry. */
  async post(body: string | Buffer, headers: Record<string, string>): Promise<{ status: number; body: string }> {
    try {
      const res = await fetch(this.webhookUrl, {
        method: 'POST',
        headers: { ...this.defaultHeaders, ...headers },
        body: typeof body === 'string' ? body : new Uint8Array(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      return { status: res.status, body: await res.text() };
    } catch (e) {
      // Meta and Zalo treat no answer like a failed one: retry.
      return { status: 0, body: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
  }
}

/** How a failed attempt goes on: give up, try again after the backoff, or try again at once (something was fixed, e.g. a token refreshed). */
export type RetryDecision = 'fail' | 'backoff' | 'now';

/**
 * Runs `attempt` until it succeeds, `decide` says to give up, or `attempts` tries are spent; waits
 * `backoffMs` × 2^(n−1), with ±25% jitter so clients that failed together do not retry together.
 * The channels' API clients share it (Messenger's Send API, Zalo's OpenAPI).
 */
export async function retrying<T>(
  options: { attempts: number; backoffMs: number },
  attempt: () => Promise<T>,
  decide: (error: unknown, tried: number) => Promise<RetryDecision>,
): Promise<T> {
  for (let tried = 1; ; tried += 1) {
    try {
      return await attempt();
    } catch (error) {
      const decision = await decide(error, tried);
      if (decision === 'fail' || (decision === 'backoff' && tried >= options.attempts)) throw error;
      if (decision === 'backoff') await sleep(options.backoffMs * 2 ** (tried - 1) * (0.75 + Math.random() / 2));
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

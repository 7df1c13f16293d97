/**
 * The one source of time for everything that paces or times out (DESIGN §1): the live tick loop,
 * sensor read timeouts, reconnect backoff. The evaluation core never sees it; it sees ticks.
 *
 * Contract: `nowUs` is monotonic (never goes back, unaffected by NTP or an RTC-less Pi setting
 * its wall clock at boot) and counts microseconds from an arbitrary origin. `sleepUntil` resolves
 * at or after `targetUs` (never before: a caller may rely on `nowUs() >= targetUs` afterwards),
 * immediately when the target has passed.
 */
export interface Clock {
  nowUs(): number;
  sleepUntil(targetUs: number): Promise<void>;
}

/**
 * The instruction set of flat programs (see programs.ts): one Int32Array of opcodes, each
 * followed by its integer operands. Values travel on a Float64Array stack as in compiled
 * closures: numbers, booleans as 1 / 0, unknown as NaN.
 */
export const Op = {
  /** Ends a node's program: its value is on top of the stack. */
  End: 0,
  /** slot: pushes the value store's `num[slot]` (a sensor's or an earlier node's value). */
  Slot: 1,
  /** array, index: pushes `arrays[array][index]` (a value kept in place elsewhere). */
  Load: 2,
  /** k: pushes `consts[k]`. */
  Const: 3,
  /** e: runs the closure of `exts[e]` (a stateless value only closures compute) and pushes it. */
  Ext: 4,
  /** cmp, slot, k: pushes `num[slot] cmp consts[k]`, cmp one of Lt..Ge (a threshold, fused). */
  SlotCompare: 5,
  Lt: 6,
  Le: 7,
  Gt: 8,
  Ge: 9,
  Eq: 10,
  Ne: 11,
  /** Boolean equality: exact, no tolerance. */
  Beq: 12,
  Bne: 13,
  Add: 14,
  Sub: 15,
  Mul: 16,
  Div: 17,
  /** k: the top becomes `(top + consts[k]) * consts[k + 1] + consts[k + 2]` (a unit conversion). */
  Convert: 18,
  Not: 19,
  Neg: 20,
  /** target: when the top is 0, jumps to target, that 0 being the `and`'s value. */
  AndSkip: 21,
  /** target: when the top is 1, jumps to target, that 1 being the `or`'s value. */
  OrSkip: 22,
  And: 23,
  Or: 24,
  /** state, ticks: held(top, ticks); state[s] is the tick the run of true began, or -1. */
  Held: 25,
  /** state, ticks: within(top, ticks); state[s] the last tick true, state[s + 1] the last input. */
  Within: 26,
  /** state: hysteresis(x, low, high) off the top three; state[s] is on (1) or off (0). */
  Hysteresis: 27,
  /** w: records the top into window w's series, then takes the window's value. */
  Window: 28,
  /**
   * cmp, w, k: Window w (a sum, avg or count), then `value cmp consts[k]` (cmp one of Lt..Ge);
   * the window bounds the tick the comparison could next change (WindowSumOp.dueToCross), so
   * event mode can sleep.
   */
  WindowCompare: 29,
} as const;

/** Words each instruction takes, opcode included, by opcode. */
export const WORDS: readonly number[] = [1, 2, 3, 2, 2, 4, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 2, 2, 1, 1, 3, 3, 2, 2, 4];

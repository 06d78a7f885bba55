/** Exit codes every command shares (documented in the README). */
export const EXIT = { ok: 0, failed: 1, usage: 2, limit: 3, internal: 70, ioError: 74, interrupted: 130 } as const;

/**
 * Kernel lock models built on the engine and the coherence model: each
 * module's header names the Linux code it models and what it simplifies.
 */
export type { KernelContext } from './context.js';
export { LockStats, LockTrace, LogHistogram, type LockEvent, type LockMode } from './lock-stats.js';
export { ExclusiveSpinlock, type SectionPlan, type SpinWaiter, type Handoff } from './exclusive-spinlock.js';
export { QSpinlock, type QSpinlockOptions } from './qspinlock.js';
export { TicketSpinlock, type TicketHandoffModel, type TicketSpinlockOptions } from './ticket-spinlock.js';
export { McsSpinlock, type McsSpinlockOptions } from './mcs-spinlock.js';
export { IdealFifoLock, type IdealFifoLockOptions } from './ideal-fifo-lock.js';
export { TasSpinlock, type TasMode, type TasSpinlockOptions } from './tas-spinlock.js';
export { SeqLock, SeqReaderStats, type SeqLockOptions, type SeqReaderPopulation } from './seqlock.js';
export { RwSemaphore, RWSEM_WAIT_TIMEOUT_NS, type RwSemaphoreOptions } from './rwsem.js';
export { ExpeditedRcu, RcuStats, type ExpeditedRcuOptions } from './rcu.js';

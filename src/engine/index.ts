/**
 * The discrete-event engine: simulated time, the event queue, processes, wait
 * queues and random streams. It knows nothing of CPUs, locks or
 * containers; everything else in locksim is built on this surface.
 */
export { ns, us, ms, seconds, formatTime, NS_PER_US, NS_PER_MS, NS_PER_S, type SimTime } from './time.js';
export { EventQueue } from './queue.js';
export { SimEvent, Interrupt, URGENT, NORMAL, type EventCallback } from './event.js';
export { Process, type ProcessBody } from './process.js';
export { Simulation, SimulationLimitError, DEFAULT_LIMITS, type RunLimits, type SimulationOptions } from './simulation.js';
export { RandomStream, RandomStreams, sample, distributionMean, type Distribution } from './random.js';
export { Deque, FifoWaitQueue, type Waiter } from './wait-queue.js';
export { Tally } from './collect.js';

/**
 * kubelet's side of the CRI during a storm (mechanism `kubeletCri`), from
 * kubernetes pkg/kubelet (models/nodes/*.yaml cites each number):
 *
 * - Every CRI request of a launch (a runtime pass) has the runtime request
 *   timeout. When it passes first, kubelet gets DeadlineExceeded and the
 *   launch has failed then; containerd finishes the request anyway, but the
 *   pod worker's retries (every 10-15 s) find the container name still
 *   reserved, so the launch never completes and issues no further requests.
 * - PLEG relists every second: ListPodSandbox and ListContainers, and a
 *   status call per pod in progress, each served by containerd on a CPU.
 *   No relist finished for 3 minutes: PLEG is unhealthy.
 * - updateRuntimeUp sends a CRI Status every 5 s; none answered for 30 s:
 *   "container runtime is down".
 * While either holds, the node is NotReady and kubelet's sync loop skips
 * pod synchronization: launches that have not started their CRI work wait.
 * Each CRI call costs `cri_call_cpu` of CPU on the node.
 */
import { Deque, type ProcessBody, type RandomStream, type SimEvent } from '../engine/index.js';
import type { KernelThread } from './thread.js';
import type { LaunchWorld } from './world.js';

export class KubeletCri {
  private readonly callNs: number;
  private lastRelistNs = 0;
  private lastStatusNs = 0;
  private notReadySinceNs = -1;
  private readonly upWaiters = new Deque<SimEvent>();
  private readonly retryStream: RandomStream;

  constructor(private readonly world: LaunchWorld) {
    this.callNs = world.parameter('cri_call_cpu');
    this.retryStream = world.sim.random.stream('kubelet/retries');
  }

  /** A goroutine pair (kubelet's caller, containerd's handler) as one thread. */
  private newThread(name: string): KernelThread {
    const thread = this.world.newThread(name, 0, 0);
    thread.pass = this.world.passNumber('kubelet');
    return thread;
  }

  /** Null when kubelet syncs pods now; else an event that succeeds when the node is Ready again. */
  whenReady(): SimEvent | null {
    if (this.notReadySinceNs < 0) return null;
    const event = this.world.sim.event();
    this.upWaiters.push(event);
    return event;
  }

  /** CRI calls served by containerd, one after another on a CPU. */
  private *calls(thread: KernelThread, count: number): ProcessBody {
    const { interpreter, categories, cpus } = this.world;
    yield* interpreter.work(thread, count * this.callNs, categories.userWork);
    cpus.leaveCpu(thread);
  }

  /** PLEG: relist every period; `inProgress` pods get a status call each. */
  *plegLoop(inProgress: () => number): ProcessBody {
    const world = this.world;
    const everyNs = world.models.node.environment.kubelet.plegRelistEveryNs;
    const thread = this.newThread('kubelet-pleg');
    for (;;) {
      yield world.sim.timeout(everyNs);
      const startNs = world.sim.now;
      yield* this.calls(thread, 2 + inProgress());
      const tookNs = world.sim.now - startNs;
      if (tookNs > world.background.plegMaxRelistNs) world.background.plegMaxRelistNs = tookNs;
      world.background.plegRelists++;
      this.lastRelistNs = world.sim.now;
    }
  }

  /** updateRuntimeUp: a Status call every period. */
  *statusLoop(): ProcessBody {
    const world = this.world;
    const everyNs = world.models.node.environment.kubelet.runtimeStatusEveryNs;
    const thread = this.newThread('kubelet-status');
    for (;;) {
      yield world.sim.timeout(everyNs);
      yield* this.calls(thread, 1);
      this.lastStatusNs = world.sim.now;
    }
  }

  /** The sync loop's runtimeErrors(), once a second: NotReady while PLEG or the runtime is unhealthy. */
  *healthLoop(): ProcessBody {
    const world = this.world;
    const sim = world.sim;
    const kubelet = world.models.node.environment.kubelet;
    for (;;) {
      yield sim.timeout(1e9);
      const pleg = sim.now - this.lastRelistNs > kubelet.plegUnhealthyAfterNs;
      const runtime = sim.now - this.lastStatusNs > kubelet.runtimeDownAfterNs;
      if (pleg || runtime) {
        if (this.notReadySinceNs < 0) {
          this.notReadySinceNs = sim.now;
          if (pleg) world.background.plegUnhealthy++;
          if (runtime) world.background.runtimeDown++;
        }
      } else if (this.notReadySinceNs >= 0) {
        world.background.notReadyNs += sim.now - this.notReadySinceNs;
        this.notReadySinceNs = -1;
        while (this.upWaiters.length > 0) this.upWaiters.shift()!.succeed();
      }
    }
  }

  /** A launch's request timed out: the pod worker retries every backoff (with jitter) until the run ends, each retry refused. */
  *retryLoop(): ProcessBody {
    const world = this.world;
    const kubelet = world.models.node.environment.kubelet;
    const thread = this.newThread('kubelet-retry');
    world.background.criTimeouts++;
    for (;;) {
      yield world.sim.timeout(kubelet.criRetryBackoffNs * (1 + kubelet.criRetryJitter * this.retryStream.next()));
      yield* this.calls(thread, 1);
      world.background.criRetries++;
    }
  }
}

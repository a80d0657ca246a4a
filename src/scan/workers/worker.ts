/**
 * The entry of a scan worker thread (src/scan/workers/pool.ts starts it): rebuilds the source context
 * from `workerData`, then reads each group of files it is sent with the registry's source of that name
 * and posts the result back. A failure of the source is answered as the scan error the main thread
 * would have recorded for it; only the loss of the thread itself is left to the pool.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { FileSource, SourceContext } from '../../sources/types.js';
import { contextFrom, type SerialContext } from './context.js';
import { sourceFailure } from './failure.js';
import type { TaskMessage, TaskReply } from './pool.js';

const port = parentPort;
if (port) {
  const ctx = contextFrom(workerData as SerialContext);
  // One task at a time, in the order they were posted (the pool counts on it to know which one a
  // lost thread was reading).
  let chain: Promise<void> = Promise.resolve();
  port.on('message', (task: TaskMessage) => {
    chain = chain.then(() => answer(port, task, ctx));
  });
}

/**
 * The sources whose groups run in workers, each loaded only when a task asks for it: a worker reading
 * templates never loads the HCL parser. Any other name is looked up in the whole registry.
 */
const SOURCES: Readonly<Record<string, () => Promise<FileSource>>> = {
  cloudformation: async () => (await import('../../sources/cloudformation/index.js')).cloudformationSource,
  serverless: async () => (await import('../../sources/serverless/index.js')).serverlessSource,
  terraform: async () => (await import('../../sources/terraform/index.js')).terraformSource,
};

async function sourceNamed(name: string): Promise<FileSource | undefined> {
  const load = SOURCES[name];
  if (load) return load();
  const { fileSources } = await import('../../sources/index.js');
  return fileSources.find((s) => s.name === name);
}

async function answer(port: MessagePort, task: TaskMessage, ctx: SourceContext): Promise<void> {
  const reply = await readTask(task, ctx);
  try {
    port.postMessage(reply);
  } catch (e) {
    // A result that cannot be copied to the main thread is this group's error, not a lost thread.
    port.postMessage({
      id: task.id,
      ok: false,
      error: sourceFailure(task.source, task.files, e),
    } satisfies TaskReply);
  }
}

async function readTask(task: TaskMessage, ctx: SourceContext): Promise<TaskReply> {
  try {
    const source = await sourceNamed(task.source);
    if (!source) throw new Error(`no reader named ${task.source}`);
    return { id: task.id, ok: true, result: await source.load(task.files, ctx) };
  } catch (e) {
    return { id: task.id, ok: false, error: sourceFailure(task.source, task.files, e) };
  }
}

import { createWriterHandler } from '#lib/handlers/writer.ts';
import { runtimeDependencies } from '#lib/runtime.ts';

/** The writer Lambda: POST …/submissions/:id/events. */
export const handler = createWriterHandler(runtimeDependencies);

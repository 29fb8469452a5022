import { createReaderHandler } from '#lib/handlers/reader.ts';
import { runtimeDependencies } from '#lib/runtime.ts';

/** The reader Lambda: every GET route. */
export const handler = createReaderHandler(runtimeDependencies);

import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs; never log tokens or event_data. Level and service name come from POWERTOOLS_* env. */
export const logger = new Logger({ serviceName: 'quiz-submission-events' });

import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs; never log tokens or event_data. The level comes from POWERTOOLS_LOG_LEVEL. */
export const logger = new Logger({ serviceName: 'quiz-submission-events' });

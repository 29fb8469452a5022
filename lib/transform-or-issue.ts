import * as z from 'zod';

/**
 * A zod transform from a parser that throws on bad input: the parser's result, or its Error's message
 * as the issue. The deployment config and the local settings check origins and scopes this way, with
 * the very parsers the stack and the local server use.
 */
export const transformOrIssue =
  <Input, Output>(parse: (value: Input) => Output) =>
  (value: Input, context: z.RefinementCtx<Input>): Output => {
    try {
      return parse(value);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  };

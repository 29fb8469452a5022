import { Validations } from 'aws-cdk-lib';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../infra/create-app.ts';
import cdkJson from '../../cdk.json' with { type: 'json' };
import { DEPLOYMENT_CONTEXT } from './synth.ts';

/** The app exactly as `cdk synth` runs it, cdk-nag included; only the bundling is skipped. */
const validatedApp = () =>
  createApp({ context: { ...cdkJson.context, ...DEPLOYMENT_CONTEXT, 'aws:cdk:bundling-stacks': [] }, environment: {} });

/** Every acknowledgement in a construct tree, with the path it was made on. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: construct.node.path, id, reason }))),
  );
}

describe('cdk-nag AWS Solutions checks', () => {
  // The one synthesis with validation on: the others skip it to save seconds each.
  it('pass at synthesis with no unacknowledged finding, and every acknowledgement names one finding and says why', () => {
    // Arrange
    const { app } = validatedApp();

    // Act
    const synthesis = () => app.synth();

    // Assert
    expect(synthesis).not.toThrow();
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
    for (const { id, reason } of acknowledgements(app)) {
      // CDK records each acknowledgement under its source, `Annotation::` unless one is named.
      expect(id).toMatch(/^Annotation::AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(reason.length).toBeGreaterThan(40);
    }
  });

  it('stop the synthesis of the same app when a resource breaks a rule', () => {
    // Arrange: a topic that accepts unencrypted publishing breaks AwsSolutions-SNS3
    const { app, stack } = validatedApp();
    new Topic(stack, 'PlainTextTopic');

    // Act
    const synthesis = () => app.synth();

    // Assert
    expect(synthesis).toThrow(/The SNS Topic does not require publishers to use SSL/);
  });
});

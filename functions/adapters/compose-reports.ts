/**
 * Wiring of the reports and the weekly summary over the composition root's output (compose()): the
 * DynamoDB report source plus the mailer, document store and company of the app. Used by the operator
 * API, the weekly-summary Lambda and the local stack.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReportsDeps } from '../app/reports.js';
import type { WeeklySummaryDeps } from '../app/weekly-summary.js';
import type { ReportsConfig } from '../domain/reports/config.js';
import { dateInZone } from '../domain/dates.js';
import type { Composed } from './compose.js';
import { DynamoReportSource } from './dynamo-reports.js';

export function composeReports(
  app: Composed,
  x: { doc: DynamoDBDocumentClient; tableName: string; timeZone: string; config: ReportsConfig; now?: () => Date },
): { reports: ReportsDeps; summary: WeeklySummaryDeps } {
  const source = new DynamoReportSource({
    doc: x.doc,
    tableName: x.tableName,
    timeZone: x.timeZone,
    ...(x.config.readConcurrency ? { concurrency: x.config.readConcurrency } : {}),
  });
  const company = { name: app.finishDeps.company.name };
  return {
    reports: {
      source,
      config: x.config,
      rules: app.rules,
      company,
      creditPolicy: app.credit.deps.policy,
      documents: app.finishDeps.documents,
      today: () => dateInZone((x.now ?? (() => new Date()))(), x.timeZone),
    },
    summary: {
      source,
      mailer: app.finishDeps.mailer,
      documents: app.finishDeps.documents,
      config: x.config,
      fromAddress: app.finishDeps.fromAddress,
      fallbackRecipients: app.finishDeps.digestRecipients,
      company,
    },
  };
}

/**
 * Invokes the aggregate Lambda handler (functions/aggregate.ts) in a process of its own with the
 * event given as the first argument, as EventBridge would deliver it: the soak duplicates,
 * delays and reorders these deliveries and can SIGKILL them like any Lambda timeout.
 */
import { handler } from '../../functions/aggregate';

handler(JSON.parse(process.argv[2] ?? '{}')).then(
  (summary) => {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);

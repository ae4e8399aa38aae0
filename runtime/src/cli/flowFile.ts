/** The one flow file a command (`check`, `show`) takes as its positional argument. */
import { readFlowFile, type FlowFile } from '../graph/flowFile';
import { UsageError } from './command';

export function readOnlyFlowArgument(command: string, positionals: string[], cwd: string): FlowFile {
  if (positionals.length > 1)
    throw new UsageError(`${command} takes one flow file, got ${positionals.length}. See: stepwise ${command} --help`);
  return readFlowFile(positionals[0], cwd);
}

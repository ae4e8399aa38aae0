import { TagError } from '../../client/run';
import { systemTagsOf } from '../../run/tags';
import { parseOptions } from '../args';
import { UsageError, type Command } from '../command';
import { commandStore, DATASTORE_HELP, DATASTORE_OPTION } from '../datastoreOption';
import { resolveRun } from '../pathspec';

const ACTIONS = ['add', 'remove', 'replace', 'list'] as const;
type Action = (typeof ACTIONS)[number];

export const tagCommand: Command = {
  name: 'tag',
  summary: "Add, remove, replace or list a run's tags (Metaflow's `tag`).",
  help: `Usage: stepwise tag add|remove|replace|list PATHSPEC [TAG…] [--datastore TYPE]

PATHSPEC is FLOW/RUN or RUN. User tags can change at any time; system tags (user:…, runtime:…,
project:…, project_branch:…) are set by the runtime and cannot be added or removed.

  add PATHSPEC TAG…          add user tags
  remove PATHSPEC TAG…       remove user tags
  replace PATHSPEC OLD NEW   replace one user tag by another
  list PATHSPEC              print the run's tags: system tags, then user tags
${DATASTORE_HELP}`,
  async run(args, io) {
    const { values, positionals } = parseOptions('tag', args, { ...DATASTORE_OPTION });
    const [action, spec, ...tags] = positionals;
    if (!ACTIONS.includes(action as Action)) {
      throw new UsageError(`expects one of ${ACTIONS.join(', ')}, e.g. stepwise tag add HelloFlow/1769… nightly`);
    }
    if (!spec)
      throw new UsageError(`expects a run pathspec, e.g. stepwise tag ${action} HelloFlow/1769…${action === 'list' ? '' : ' nightly'}`);
    if (action === 'list' && tags.length) throw new UsageError('list takes no tags.');
    if ((action === 'add' || action === 'remove') && !tags.length) throw new UsageError(`${action} needs at least one tag.`);
    if (action === 'replace' && tags.length !== 2) throw new UsageError('replace takes two tags: OLD NEW.');
    const run = await resolveRun(commandStore(values.datastore, io), spec);
    try {
      if (action === 'add') await run.addTag(...tags);
      else if (action === 'remove') await run.removeTag(...tags);
      else if (action === 'replace') await run.replaceTag(tags[0], tags[1]);
    } catch (err) {
      if (err instanceof TagError) throw new UsageError(err.message);
      throw err;
    }
    const system = systemTagsOf(run.record);
    io.stdout.write(`${run.pathspec}\n  system tags: ${system.join(' ')}\n  user tags:   ${run.userTags.join(' ') || '(none)'}\n`);
    return 0;
  },
};

/**
 * The parity cases: each flow as its Python original (run under real Metaflow) and its
 * TypeScript translation (run under Stepwise), the commands to run, and the differences the
 * harness finds that are kept on purpose (each explained in docs/PARITY.md).
 * Metaflow's recorded results are in test/parity/metaflow/<name>.json (`npm run parity` refreshes them).
 */
import type { KeptDifference, ParityCase } from './harness/case';

const ours = (name: string, ts = `fixtures/flows/${name}.ts`) => ({ python: `fixtures/parity/${name}.py`, typescript: ts });
const parity = (name: string) => ours(name, `fixtures/parity/${name}.ts`);
const tutorial = (path: string, ts: string) => ({ python: `metaflow:tutorials/${path}`, typescript: `fixtures/parity/${ts}.ts` });
const support = { from: 'fixtures/parity/tutorial_support.ts', only: 'typescript' } as const;
const movies = { from: 'fixtures/parity/movies.csv' };
/** Differences a case keeps, all for the reason under one heading of docs/PARITY.md. */
const keep = (why: string, ids: string[]): KeptDifference[] => ids.map((id) => ({ id, why }));
/** What a run whose join step fails, where Metaflow's succeeds, differs in. */
const failedJoin = (join: string) => ['0:exit:status', '0:task-count:end', '0:failed-steps:run', '0:task:end', `0:status:${join}`];

export const cases: ParityCase[] = [
  // --- The conformance flows (test/fixtures/flows), whose Python originals are ours.
  { name: 'hello', about: 'linear: start → hello → end', flows: [ours('hello')], commands: [{ args: ['run'] }] },
  { name: 'counter', about: 'an artifact changed along a linear flow', flows: [ours('counter')], commands: [{ args: ['run'] }] },
  {
    name: 'parameters',
    about: 'parameters: required, typed, from the environment, bad values',
    flows: [ours('parameters')],
    commands: [
      { args: ['run'], errorWords: ['--creature'] },
      { args: ['run', '--creature', 'seal', '--count', '10', '--ratio', '0.3'] },
      { args: ['run', '--ratio', '0.25'], env: { METAFLOW_RUN_CREATURE: 'dinosaur', STEPWISE_RUN_CREATURE: 'dinosaur' } },
      { args: ['run', '--creature', 'seal', '--count', 'ten'], errorWords: ['--count'] },
    ],
  },
  {
    name: 'json_parameter',
    about: 'a JSON parameter: its default, a value, a malformed value',
    flows: [ours('json_parameter')],
    commands: [
      { args: ['run'] },
      { args: ['run', '--mapping', '{"mykey": "myvalue"}'] },
      { args: ['run', '--mapping', '{"mykey": '], errorWords: ['--mapping'] },
    ],
  },
  {
    name: 'csv_file',
    about: 'IncludeFile snapshots a file into the run',
    flows: [ours('csv_file')],
    files: { 'test.csv': 'first,second,third\na,b,c\n' },
    commands: [{ args: ['run', '--csv', 'test.csv'] }],
  },
  { name: 'counter_branch', about: 'a static split joined by hand', flows: [ours('counter_branch')], commands: [{ args: ['run'] }] },
  {
    name: 'counter_branch_dropped',
    about: 'a join that does not carry an artifact: reading it downstream fails, naming it',
    flows: [ours('counter_branch')],
    commands: [
      {
        args: ['run'],
        patch: {
          python: [['self.creature = inputs[0].creature', 'pass']],
          typescript: [['this.creature = inputs[0].creature;', '']],
        },
        errorWords: ['creature'],
      },
    ],
  },
  {
    name: 'counter_branch_helper',
    about: 'merge_artifacts with exclude',
    flows: [ours('counter_branch_helper')],
    commands: [{ args: ['run'] }],
  },
  { name: 'foreach', about: 'a foreach and its join', flows: [ours('foreach')], commands: [{ args: ['run'] }] },
  {
    name: 'wide_foreach',
    about: 'a foreach wider than --max-num-splits fails before its tasks, naming the maximum',
    flows: [ours('wide_foreach')],
    commands: [{ args: ['run'], errorWords: ['100', 'max-num-splits'] }],
  },
  {
    name: 'debug',
    about: 'a failed step, then resume (fixed), resume from start, and a second resume without an origin',
    flows: [ours('debug')],
    commands: [
      { args: ['run'] },
      { args: ['resume'], patch: { python: [["'2fail'", "'2'"]], typescript: [["'2fail'", "'2'"]] } },
      { args: ['resume', 'start', '--origin-run-id', '{run:0}'] },
      { args: ['resume'] },
    ],
    kept: keep('A second resume without an origin', ['3:cloned:b', '3:cloned:end', '3:cloned:join']),
  },
  {
    name: 'classifier',
    about: 'a train flow, then a predict flow reading its model through the client API',
    flows: [ours('classifier_train'), ours('classifier_predict')],
    commands: [{ args: ['run'] }, { args: ['run', '--vector', '[30]'], flow: 1 }],
  },

  // --- Metaflow's own tutorials (their Python read from Metaflow's sources), translated; our own data file.
  {
    name: 'tutorial_helloworld',
    about: "Metaflow's tutorial 00",
    flows: [tutorial('00-helloworld/helloworld.py', 'tutorial_helloworld')],
    commands: [{ args: ['run'] }],
  },
  {
    name: 'tutorial_playlist',
    about: "Metaflow's tutorial 01: IncludeFile, parameters, a static split",
    flows: [tutorial('01-playlist/playlist.py', 'tutorial_playlist')],
    files: { 'movies.csv': movies, 'tutorial_support.ts': support },
    commands: [{ args: ['run'] }, { args: ['run', '--genre', 'Drama', '--recommendations', '2'] }],
    // Random picks (random.choice, random.shuffle): compared by shape and as sets.
    compare: { loose: { bonus: 'shape', movies: 'unordered', playlist: 'unordered' } },
  },
  {
    name: 'tutorial_statistics',
    about: "Metaflow's tutorials 02 (a foreach over genres) and 03 (another flow reads its results through the client)",
    flows: [tutorial('02-statistics/stats.py', 'tutorial_stats'), tutorial('03-playlist-redux/playlist.py', 'tutorial_playlist_redux')],
    files: { 'movies.csv': movies, 'tutorial_support.ts': support },
    commands: [{ args: ['run'] }, { args: ['run'], flow: 1 }],
    // `genres` comes from a Python set (its order is the hash order); the playlist is random.
    compare: {
      loose: { genres: 'unordered', bonus: 'shape', movies: 'unordered', playlist: 'unordered' },
      matchForeachBy: { compute_statistics: 'genre' },
    },
  },

  // --- Our own flows for what Metaflow defines and the flows above do not reach.
  {
    name: 'join_inputs',
    about: "a join reads each branch's input, index and foreach stack",
    flows: [parity('join_inputs')],
    commands: [{ args: ['run'] }],
  },
  {
    name: 'nested_foreach',
    about: 'a foreach in a foreach: input, index and foreach stack at every level and in both joins',
    flows: [parity('nested_foreach')],
    commands: [{ args: ['run'] }],
    kept: keep(
      'Foreach values after a join',
      ['after_inner[0].own_stack', 'after_inner[0].stack_after', 'after_inner[1].own_stack', 'after_inner[1].stack_after']
        .concat(['end.outer_pairs', 'inner_join[0].own_stack', 'inner_join[1].own_stack', 'outer_join.outer_pairs'])
        .map((a) => `0:artifact:${a}`),
    ),
  },
  {
    name: 'static_join_input',
    about: 'reading a branch input after a static split',
    flows: [parity('static_join_input')],
    commands: [{ args: ['run'] }],
    kept: keep('Branch inputs after a static split', [...failedJoin('join'), '0:only-metaflow:join.values']),
  },
  {
    name: 'join_self_input',
    about: 'this.input in a top-level foreach join',
    flows: [parity('join_self_input')],
    commands: [{ args: ['run'] }],
    kept: keep('this.input in a join that closes a foreach', [...failedJoin('join'), '0:only-metaflow:join.seen']),
  },
  {
    name: 'nested_join_self_input',
    about: 'this.input in a join nested in an outer foreach',
    flows: [parity('nested_join_self_input')],
    commands: [{ args: ['run'] }],
    kept: [
      ...keep('this.input in a join that closes a foreach', [
        '0:exit:status',
        '0:task-count:end',
        '0:task-count:outer_join',
        '0:failed-steps:run',
        '0:task:end',
        '0:task:outer_join',
        '0:status:inner_join[0]',
        '0:only-metaflow:inner_join[0].seen',
      ]),
      // Once the first inner_join has failed, no task starts; whether the second had already
      // started (and failed the same way) depends on timing alone.
      ...keep('this.input in a join that closes a foreach', [
        '0:status:inner_join[1]',
        '0:only-metaflow:inner_join[1].seen',
        '0:task-count:inner_join',
        '0:task:inner_join[1]',
      ]).map((k) => ({ ...k, timing: true as const })),
    ],
  },
  {
    name: 'join_split',
    about: 'a join that splits again in the same step',
    flows: [parity('join_split')],
    commands: [{ args: ['run'] }],
    kept: keep('A join that splits again', ['0:exit:status', '0:run:started']),
  },
  {
    name: 'merge_artifacts',
    about: 'merge_artifacts with exclude, then include',
    flows: [parity('merge_artifacts')],
    commands: [{ args: ['run'] }],
    // A static join's input order varies in Metaflow (docs/PARITY.md: Static-join input order).
    compare: { loose: { xs: 'unordered' } },
  },
  {
    name: 'merge_include_exclude',
    about: 'merge_artifacts given include and exclude together',
    flows: [parity('merge_include_exclude')],
    commands: [{ args: ['run'], errorWords: ['exclusive'] }],
    kept: keep('include and exclude together', ['0:exit:status', '0:run:started']),
  },
  {
    name: 'merge_conflict',
    about: 'merge_artifacts over branches that disagree names the artifact',
    flows: [parity('merge_conflict')],
    commands: [{ args: ['run'], errorWords: ['score'] }],
  },
  { name: 'foreach_string', about: 'a foreach over a string', flows: [parity('foreach_string')], commands: [{ args: ['run'] }] },
  {
    name: 'current_user',
    about: 'current, and the user name from each variable Metaflow reads',
    flows: [parity('current_user')],
    commands: [
      { args: ['run'] },
      { args: ['run'], env: { USERNAME: 'someone' } },
      { args: ['run'], env: { METAFLOW_USER: 'mf-user', USERNAME: 'someone' } },
      { args: ['run'], env: { SUDO_USER: 'root', USERNAME: 'alice' } },
      { args: ['run'], env: { METAFLOW_USER: '', SUDO_USER: '', USERNAME: '', USER: 'root' } },
    ],
    kept: keep('No user name at all', ['4:exit:status', '4:run:started']),
  },
  {
    name: 'nested_branches',
    about: "static splits three deep (Metaflow's nested_branches graph)",
    flows: [parity('nested_branches')],
    commands: [{ args: ['run'] }],
    // Metaflow's static joins take their inputs in an order that varies from run to run (docs/PARITY.md:
    // Static-join input order): the joins' `order` is compared as a multiset.
    compare: { loose: { order: 'unordered' } },
  },
];

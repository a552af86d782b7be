// `npm run bench:limits`: our operation limits (router/src/operation-limits/, parse option
// maxTokens) next to @escape.tech/graphql-armor configured to the same limits, on the router's
// API schema (composed from supergraph.yaml). For each document of bench/operation-limits/
// workloads.ts it times, per setup, validation alone (the document parsed beforehand), the
// setup's limit rules alone (validate with only them: their own cost, without the noise of
// specifiedRules' 28 rules), and the whole pre-execution path (parse with the setup's token
// limit, then validate); then says which setups accept or refuse it and what each measured.
// In one process, setups interleaved and rotated in every round; each figure is the fastest of
// the rounds (whatever else runs on the machine only adds time, so the minimum is the steadiest
// estimate on shared cores).
//
// Setups: graphql-js specifiedRules alone; + our rule (parse with maxTokens); + graphql-armor's
// Apollo rules (cost limit, max aliases, max directives, max depth) and its max-tokens plugin's
// parsingDidStart hook, then Apollo's own parse, as ApolloArmor.protect() wires them into
// Apollo Server; and the same with the options that bring armor closest to ours.
//
// env: BENCH_ROUNDS (5), BENCH_WINDOW_MS (150: measured time per figure and round).
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  Kind,
  Lexer,
  Source,
  TokenKind,
  buildSchema,
  parse,
  specifiedRules,
  validate,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { composeSupergraph } from '../router/src/composition.js';
import { routerEnv } from '../router/src/config.js';
import { fragmentsOf, operationLimitsRule, rootFieldsOf, type OperationLimits } from '../router/src/operation-limits/index.js';
import { measureOperation } from '../router/src/operation-limits/measure.js';
import { WORKLOADS, type Workload } from '../bench/operation-limits/workloads.js';

type ArmorConfig = NonNullable<ConstructorParameters<typeof ApolloArmor>[0]>;
type Mode = 'validate' | 'rules' | 'e2e';
type ParsingHook = (context: { source: string }) => Promise<unknown>;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 150);
const started = Date.now();
const log = (message: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${message}`);

// The router's defaults, read from its config schema so they cannot drift.
const limitDefault = (key: 'MAX_DEPTH' | 'MAX_COST' | 'MAX_ROOT_FIELDS' | 'MAX_ALIASES' | 'MAX_INTROSPECTION_DEPTH' | 'MAX_TOKENS'): number =>
  routerEnv.shape[key].parse(undefined);
const LIMITS: OperationLimits = {
  maxDepth: limitDefault('MAX_DEPTH'),
  maxCost: limitDefault('MAX_COST'),
  maxRootFields: limitDefault('MAX_ROOT_FIELDS'),
  maxAliases: limitDefault('MAX_ALIASES'),
  maxIntrospectionDepth: limitDefault('MAX_INTROSPECTION_DEPTH'),
};
const MAX_TOKENS = limitDefault('MAX_TOKENS');
/** armor's default: we have no directive limit (MAX_TOKENS bounds directives as it bounds everything). */
const ARMOR_MAX_DIRECTIVES = 50;

interface Setup {
  id: string;
  label: string;
  /** specifiedRules + limitRules. */
  rules: readonly ValidationRule[];
  limitRules: readonly ValidationRule[];
  /** Parse as the setup would in the router; throws (or rejects) when the setup refuses. */
  parse(source: string): DocumentNode | Promise<DocumentNode>;
}

/** What armor measured, from its onAccept callbacks and its rejection messages ("found N"). */
type ArmorMeasures = Partial<Record<'depth' | 'cost' | 'aliases' | 'directives', number>>;

function armorConfig(tuned: boolean, measures?: ArmorMeasures): ArmorConfig {
  const capture = (key: keyof ArmorMeasures) =>
    measures && {
      onAccept: [(_: unknown, details: { n: number }) => void (measures[key] = details.n)],
      onReject: [(_: unknown, error: GraphQLError) => void (measures[key] = Number(/found ([^ ]+)\.$/.exec(error.message)?.[1]))],
    };
  return {
    maxTokens: { n: MAX_TOKENS },
    maxDepth: { n: LIMITS.maxDepth, ...(tuned && { flattenFragments: true }), ...capture('depth') },
    costLimit: { maxCost: LIMITS.maxCost, ...(tuned && { flattenFragments: true }), ...capture('cost') },
    maxAliases: { n: LIMITS.maxAliases, ...(tuned && { allowList: [] }), ...capture('aliases') },
    maxDirectives: { n: ARMOR_MAX_DIRECTIVES, ...capture('directives') },
  };
}

/** ApolloArmor as Apollo Server runs it: plugins' parsingDidStart, Apollo's parse, then the rules. */
async function armorSetup(id: string, label: string, config: ArmorConfig): Promise<Setup> {
  const { plugins, validationRules } = new ApolloArmor(config).protect();
  const hooks: ParsingHook[] = [];
  for (const plugin of plugins) {
    const listener = (await plugin.requestDidStart?.({} as never)) as { parsingDidStart?: ParsingHook } | void;
    if (listener?.parsingDidStart) hooks.push(listener.parsingDidStart.bind(listener));
  }
  return {
    id,
    label,
    rules: [...specifiedRules, ...validationRules],
    limitRules: validationRules,
    async parse(source) {
      for (const hook of hooks) await hook({ source });
      return parse(source);
    },
  };
}

async function buildSetups(): Promise<Setup[]> {
  return [
    { id: 'plain', label: 'specifiedRules alone', rules: specifiedRules, limitRules: [], parse: (source) => parse(source) },
    {
      id: 'ours',
      label: '+ our limits rule, parse maxTokens',
      rules: [...specifiedRules, operationLimitsRule(LIMITS)],
      limitRules: [operationLimitsRule(LIMITS)],
      parse: (source) => parse(source, { maxTokens: MAX_TOKENS }),
    },
    await armorSetup('armor', '+ graphql-armor, our limits, its defaults', armorConfig(false)),
    await armorSetup('armor-tuned', '+ graphql-armor, allowList: [], flattenFragments', armorConfig(true)),
  ];
}

interface Verdict {
  accepted: boolean;
  stage?: 'parse' | 'validate';
  messages: string[];
}

async function verdictOf(schema: GraphQLSchema, setup: Setup, source: string): Promise<Verdict> {
  let document: DocumentNode;
  try {
    document = await setup.parse(source);
  } catch (error) {
    return { accepted: false, stage: 'parse', messages: [(error as Error).message] };
  }
  const errors = validate(schema, document, setup.rules);
  return errors.length === 0 ? { accepted: true, messages: [] } : { accepted: false, stage: 'validate', messages: errors.map((error) => error.message) };
}

/** The whole pre-execution path, refusals swallowed: what one request costs before planning. */
function endToEnd(schema: GraphQLSchema, setup: Setup, source: string): () => unknown {
  const finish = (document: DocumentNode) => validate(schema, document, setup.rules);
  return () => {
    let parsed: DocumentNode | Promise<DocumentNode>;
    try {
      parsed = setup.parse(source);
    } catch {
      return undefined;
    }
    return parsed instanceof Promise ? parsed.then(finish, () => undefined) : finish(parsed);
  };
}

/** µs per call over WINDOW_MS, in batches of about 2 ms so the clock is read rarely. */
async function microsecondsPerCall(run: () => unknown, windowMs = WINDOW_MS): Promise<number> {
  const once = async () => {
    const result = run();
    if (result instanceof Promise) await result;
  };
  const probeStart = performance.now();
  await once();
  const batch = Math.max(1, Math.floor(2 / Math.max(performance.now() - probeStart, 1e-4)));
  let calls = 0;
  const start = performance.now();
  do {
    for (let i = 0; i < batch; i++) await once();
    calls += batch;
  } while (performance.now() - start < windowMs);
  return ((performance.now() - start) * 1000) / calls;
}

const fastest = (values: number[]) => Math.min(...values);

function tokenCount(source: string): number {
  const lexer = new Lexer(new Source(source));
  let tokens = 0;
  while (lexer.advance().kind !== TokenKind.EOF) tokens++;
  return tokens;
}

function ourMeasures(schema: GraphQLSchema, document: DocumentNode) {
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = fragmentsOf(document);
  let aliases = 0;
  visit(document, { Field: (field) => void (field.alias && aliases++) });
  return { ...measureOperation(schema, operation, fragments), aliases, rootFields: rootFieldsOf(operation, fragments).length };
}

function armorMeasures(schema: GraphQLSchema, document: DocumentNode, tuned: boolean): ArmorMeasures {
  const measures: ArmorMeasures = {};
  validate(schema, document, new ApolloArmor(armorConfig(tuned, measures)).protect().validationRules);
  return measures;
}

// ---- report ----

const fmtMicros = (us: number) => (us >= 100 ? Math.round(us).toLocaleString('en-US') : us >= 10 ? us.toFixed(1) : us.toFixed(2));
const fmtRatio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
const fmtNumber = (n: number | undefined) => (n === undefined ? '–' : !Number.isFinite(n) || n >= 1e7 ? n.toExponential(1) : Math.round(n).toLocaleString('en-US'));

function table(headers: string[], rows: string[][], leftColumns = 1): string {
  const align = headers.map((_, i) => (i < leftColumns ? '---' : '---:'));
  return [headers, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** "refused at parse: tokens" / "refused: aliases, root fields": which limits said no. */
function describeVerdict(verdict: Verdict): string {
  if (verdict.accepted) return 'accepted';
  const reasons = new Set<string>();
  for (const message of verdict.messages) {
    const reason =
      /tokens|Token limit/.exec(message) ? 'tokens'
      : /introspects/.exec(message) ? 'introspection depth'
      : /root fields/.exec(message) ? 'root fields'
      : /aliased fields|Aliases limit/.exec(message) ? 'aliases'
      : /nested|depth limit/.exec(message) ? 'depth'
      : /costs an estimated|Cost limit/.exec(message) ? 'cost'
      : /Directives limit/.exec(message) ? 'directives'
      : `other: ${message.slice(0, 60)}`;
    reasons.add(reason);
  }
  return `refused${verdict.stage === 'parse' ? ' at parse' : ''}: ${[...reasons].join(', ')}`;
}

async function main(): Promise<void> {
  log('composing the API schema from supergraph.yaml');
  const schema = buildSchema(composeSupergraph(root).apiSchemaSdl);
  const setups = await buildSetups();
  const [plain, ours, armor, tuned] = setups as [Setup, Setup, Setup, Setup];
  log(
    `limits: depth ${LIMITS.maxDepth}, cost ${LIMITS.maxCost}, aliases ${LIMITS.maxAliases}, root fields ${LIMITS.maxRootFields}, ` +
      `introspection depth ${LIMITS.maxIntrospectionDepth}, tokens ${MAX_TOKENS} (armor: the same, plus ${ARMOR_MAX_DIRECTIVES} directives)`,
  );

  // Verdicts and measures first: they say what the timings are timings of.
  const verdicts = new Map<string, Verdict[]>();
  const documents = new Map<string, DocumentNode>();
  const surprises: string[] = [];
  for (const workload of WORKLOADS) {
    verdicts.set(workload.id, await Promise.all(setups.map((setup) => verdictOf(schema, setup, workload.source))));
    documents.set(workload.id, parse(workload.source));
    const oursVerdict = verdicts.get(workload.id)![1]!;
    if (oursVerdict.accepted !== workload.oursAccepts) {
      surprises.push(`WARNING: our limits ${oursVerdict.accepted ? 'accept' : 'refuse'} "${workload.label}", meant to ${workload.oursAccepts ? 'accept' : 'refuse'} it`);
    }
  }
  for (const surprise of surprises) log(surprise);

  const cells: { workload: Workload; setup: Setup; mode: Mode; run: () => unknown; samples: number[] }[] = [];
  for (const workload of WORKLOADS) {
    for (const setup of setups) {
      const document = documents.get(workload.id)!;
      if (!workload.attack) {
        cells.push({ workload, setup, mode: 'validate', run: () => validate(schema, document, setup.rules), samples: [] });
        cells.push({ workload, setup, mode: 'rules', run: () => validate(schema, document, setup.limitRules), samples: [] });
      }
      cells.push({ workload, setup, mode: 'e2e', run: endToEnd(schema, setup, workload.source), samples: [] });
    }
  }
  const seconds = Math.ceil((cells.length * (ROUNDS * WINDOW_MS + 100)) / 1000);
  log(`load average ${loadavg().map((load) => load.toFixed(2)).join(' ')} on ${cpus().length} cores`);
  log(`${WORKLOADS.length} workloads x ${setups.length} setups, ${cells.length} figures: warm-up, then ${ROUNDS} rounds of ${WINDOW_MS} ms each (~${seconds} s)`);
  for (const cell of cells) await microsecondsPerCall(cell.run, 100);
  for (let round = 0; round < ROUNDS; round++) {
    for (const workload of WORKLOADS) {
      const ofWorkload = cells.filter((cell) => cell.workload === workload);
      // Rotated each round, so no setup always runs right after another's garbage.
      const rotated = ofWorkload.map((_, i) => ofWorkload[(i + round * 2) % ofWorkload.length]!);
      for (const cell of rotated) cell.samples.push(await microsecondsPerCall(cell.run));
    }
    log(`round ${round + 1}/${ROUNDS} done, load average ${loadavg()[0]!.toFixed(2)}`);
  }
  const figure = (workload: Workload, setup: Setup, mode: Mode) =>
    fastest(cells.find((cell) => cell.workload === workload && cell.setup === setup && cell.mode === mode)!.samples);

  const rulesOnly = ['no rules (traversal only)', 'our rule', 'armor rules', 'armor tuned rules'];
  const timingTable = (mode: Mode) =>
    table(
      [
        'workload',
        ...setups.map((setup, i) => `${mode === 'rules' ? rulesOnly[i] : setup.label} (µs)`),
        ...(mode === 'rules' ? ['ours vs none', 'armor vs none'] : ['ours vs plain', 'armor vs plain']),
        'armor vs ours',
        'armor tuned vs ours',
      ],
      WORKLOADS.filter((workload) => mode === 'e2e' || !workload.attack).map((workload) => {
        const [p, o, a, t] = [plain, ours, armor, tuned].map((setup) => figure(workload, setup, mode)) as [number, number, number, number];
        return [workload.label, fmtMicros(p), fmtMicros(o), fmtMicros(a), fmtMicros(t), fmtRatio(o, p), fmtRatio(a, p), fmtRatio(a, o), fmtRatio(t, o)];
      }),
    );

  const verdictTable = table(
    ['workload', ...setups.map((setup) => setup.label)],
    WORKLOADS.map((workload) => [workload.label, ...verdicts.get(workload.id)!.map(describeVerdict)]),
    setups.length + 1,
  );

  const measureTable = table(
    ['workload', 'bytes', 'tokens', 'ours: depth / cost / aliases / root fields / introspection depth', 'armor: depth / cost / aliases / directives', 'armor tuned: depth / cost / aliases'],
    WORKLOADS.map((workload) => {
      const document = documents.get(workload.id)!;
      const m = ourMeasures(schema, document);
      const a = armorMeasures(schema, document, false);
      const t = armorMeasures(schema, document, true);
      return [
        workload.label,
        fmtNumber(workload.source.length),
        fmtNumber(tokenCount(workload.source)),
        [m.depth, m.cost, m.aliases, m.rootFields, m.introspectionDepth].map(fmtNumber).join(' / '),
        [a.depth, a.cost, a.aliases, a.directives].map(fmtNumber).join(' / '),
        [t.depth, t.cost, t.aliases].map(fmtNumber).join(' / '),
      ];
    }),
  );

  console.log(`\nValidation alone, document parsed beforehand (µs per document, fastest of ${ROUNDS} rounds):\n\n${timingTable('validate')}`);
  console.log(`\nThe limit rules alone: validate with only them (µs per document, fastest of ${ROUNDS} rounds; "none" is graphql-js's traversal with TypeInfo):\n\n${timingTable('rules')}`);
  console.log(`\nParse with the setup's token limit + validate (µs per document, fastest of ${ROUNDS} rounds; a refusal at parse stops there):\n\n${timingTable('e2e')}`);
  console.log(`\nVerdicts:\n\n${verdictTable}`);
  console.log(`\nWhat each measured (limits: ours depth ${LIMITS.maxDepth}, cost ${LIMITS.maxCost}, aliases ${LIMITS.maxAliases}, root fields ${LIMITS.maxRootFields}, introspection depth ${LIMITS.maxIntrospectionDepth}; armor the same depth, cost and aliases in its own units):\n\n${measureTable}`);
  console.log(
    '\n  armor cost: 1 per leaf, 2 per field with a selection, children x1.5 per level, x first/last when a literal; schema-blind.' +
      '\n  armor depth and cost skip __schema (ignoreIntrospection) but not __type; its alias count skips __typename unless allowList: [].' +
      '\n  ours: cost 1 per field incl. __typename, lists x first/last/limit (literal or variable default, else 10); introspection depth apart.\n',
  );
  for (const surprise of surprises) console.log(surprise);
  log('done');
}

try {
  await main();
} catch (error) {
  console.error(`bench:limits failed: ${(error as Error).stack ?? error}`);
  process.exitCode = 1;
}

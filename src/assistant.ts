import { join } from 'node:path';
import { Activity, ActivityTypes } from '@microsoft/agents-activity';
import type { Redis } from 'ioredis';
import { openStorage, openUnansweredLog } from './state-opening.ts';
import { NO_RECORDS, type RecordSink } from './records/record-events.ts';
import type { RecordOutbox } from './records/record-outbox.ts';
import type { LimitOverrides, SharedLimits } from './state/shared-limits.ts';
import type { UnansweredLog } from './state/unanswered-log.ts';
import type { Logger } from 'pino';
import { CenterAnswers } from './core/answers/center-answers.ts';
import { AssistantBot, TURN_OUTCOME } from './core/assistant-bot.ts';
import { fromActivity } from './core/activities.ts';
import { ConversationState, newConversationState } from './core/conversation-state.ts';
import { Dialogue, type TurnOutcome } from './core/dialogue.ts';
import { LocalAdapter } from './core/local-adapter.ts';
import { ReplyTexts } from './core/reply-texts.ts';
import type { Reply } from './core/reply.ts';
import { loadKnowledgeBase, type KnowledgeBase } from './knowledge/knowledge-base.ts';
import { IntentCorpus } from './nlu/intent-corpus.ts';
import { loadOrTrainModel, modelDependencies, type CachedModel, type ModelInputs } from './nlu/intent-model-cache.ts';
import { loadIntentCues, MessageParser } from './nlu/message-parser.ts';
import { ProcedureMentions } from './nlu/procedure-mention.ts';
import { aliasNames, buildTrainingSet } from './nlu/training-set.ts';
import type { AppConfig } from './shared/config.ts';
import { VersionedStore } from './state/versioned-store.ts';
import type { Storage } from './state/storage-contract.ts';
import type { Transcript } from './state/transcript.ts';
import type { EventBus } from './state/event-bus.ts';
import { TranscriptRecorder } from './core/transcript-recorder.ts';
import { ChannelDirectory } from './core/channel-directory.ts';
import { DossierAnswers } from './dossier/dossier-answers.ts';
import { DossierDesk } from './dossier/dossier-desk.ts';
import { DemoDossierProvider, type DossierStatusProvider } from './dossier/dossier-provider.ts';
import { DossierWatch } from './dossier/dossier-watch.ts';
import { HttpDossierProvider } from './dossier/http-dossier-provider.ts';
import { AgentPresence } from './handoff/agent-presence.ts';
import { BusinessHours } from './handoff/business-hours.ts';
import { CallbackTasks } from './handoff/callback-tasks.ts';
import { CannedResponses } from './handoff/canned-responses.ts';
import { HandoffDesk } from './handoff/handoff-desk.ts';
import { ProcedureAnswers } from './core/answers/procedure-answers.ts';
import { HandoffQueue } from './handoff/handoff-queue.ts';
import { SatisfactionSurvey } from './handoff/satisfaction-survey.ts';
import type { BaseAdapter } from '@microsoft/agents-hosting';
import { z } from 'zod';

/** The assembled assistant: knowledge, NLU, dialogue and bot, over one store. */
export interface Assistant {
  knowledge: KnowledgeBase;
  parser: MessageParser;
  /** Plain answers about procedures (what the bot says; `npm run eval:answers` measures them). */
  answers: ProcedureAnswers;
  bot: AssistantBot;
  adapter: LocalAdapter;
  store: VersionedStore<ConversationState>;
  /** Every conversation's messages, numbered, whatever the channel. */
  transcript: Transcript;
  /** The handoff to people: the desk the bot and the console use, and what the console shows. */
  handoff: Handoff;
  /** Dossier lookups and followed dossiers (the server starts the watch's poller). */
  dossier: Dossiers;
  /** The raw state storage (memory or Redis), for channel data that is not a conversation's state. */
  storage: Storage;
  /** Live events between parts of the server and between processes (Redis pub/sub when shared). */
  bus: EventBus;
  /** The service's rate limits, counted in the shared store (Redis when there is one). */
  limits: SharedLimits;
  /** The Redis connection of the shared store, when there is one (accounts and Zalo tokens live there too). */
  redis: Redis | undefined;
  /** Whether the shared store answers now (the health check). */
  storeReachable(): Promise<boolean>;
  /** Questions it could not answer, for staff (`npm run cli -- unanswered list`). */
  unanswered: UnansweredLog;
  /** Removes a conversation from the hot store: state, transcript, queue, callbacks, survey answers, followed dossiers. */
  forget(conversation: string): Promise<void>;
  /** The records' outbox, when the assistant keeps records (the server's records writer empties it). */
  outbox: RecordOutbox | undefined;
  model: CachedModel;
  /**
   * Makes a channel's adapter one of the assistant's: every message recorded in the transcript,
   * duplicate deliveries dropped, a failed turn answered with an apology.
   */
  attach<A extends BaseAdapter>(adapter: A): A;
  /** One citizen message through the bot, as a channel adapter would send it; no outcome when the turn failed (the citizen got an apology). */
  chat(
    conversationId: string,
    text: string,
    channel?: string,
  ): Promise<{ outcome: TurnOutcome | undefined; replies: Reply[] }>;
  /**
   * Parses the training utterances once, a few at a time between other work: the compiler and the
   * word caches warm up on them instead of on the first citizens' messages (whose first parses took
   * several times longer). Changes no answer: every cache it fills is a pure memo.
   */
  warmUp(): Promise<{ messages: number; milliseconds: number }>;
  close(): Promise<void>;
}

export type AssistantConfig = Pick<
  AppConfig,
  'knowledgeDir' | 'intentsDir' | 'modelDir' | 'redisUrl' | 'stateTtlSeconds' | 'redisKeyPrefix'
> &
  Partial<Pick<AppConfig, 'dossier' | 'unansweredFile'>> & {
    /** Other numbers for some limits: tests of the limits themselves. */
    limitOverrides?: LimitOverrides;
    /** Keep records (the server does; evaluations and the CLI do not): events go to an outbox for the records writer. */
    records?: boolean;
    /** How long a record event another process took stays with it before a live one claims it. */
    recordsClaimIdleMs?: number;
  };

export async function createAssistant(
  config: AssistantConfig,
  log: Logger,
  knowledge = loadKnowledgeBase(config.knowledgeDir),
  /** The time business hours are judged by (tests set a working morning). */
  clock: () => number = Date.now,
): Promise<Assistant> {
  const texts = ReplyTexts.load(join(config.knowledgeDir, 'replies.json'));
  const mentions = ProcedureMentions.load(config.knowledgeDir, knowledge);
  const inputs = modelInputs(config, mentions);
  const model = await loadOrTrainModel(config.modelDir, inputs, knowledge.text);
  log.info(
    { trained: model.trained, ms: Math.round(model.milliseconds), utterances: inputs.corpus.examples.length },
    model.trained ? 'nlu.model.trained' : 'nlu.model.loaded',
  );
  const parser = new MessageParser(
    model.classifier,
    mentions,
    knowledge.text,
    loadIntentCues(config.knowledgeDir, knowledge.text),
  );
  const center = new CenterAnswers(knowledge.center, texts);
  const portal = Portal.parse(knowledge.center.get('online_portals.national')?.value);
  const answers = new ProcedureAnswers({
    portal: { name: portal.name_vi, url: portal.url },
    summaries: knowledge.summaries,
    feeActs: knowledge.feeActs,
    shortName: (code) => knowledge.shortNames.get(code) ?? code,
    hotline: () => center.value('hotline'),
    buttons: (answered) =>
      texts.procedureButtons.filter((b) => texts.buttonIntent(b, (s) => knowledge.text.fold(s)) !== answered),
    moreButton: (kind) => texts.moreButton(kind),
  });
  const dialogue = new Dialogue({
    catalog: knowledge.catalog,
    finder: knowledge.finder,
    text: knowledge.text,
    texts,
    center,
    answers,
    shortNames: knowledge.shortNames,
    clock,
  });
  const { storage, transcript, bus, limits, redis, storeReachable, outbox, close } = await openStorage(config, log);
  const records: RecordSink = outbox ?? NO_RECORDS;
  const store = new VersionedStore(storage, ConversationState, newConversationState, log);
  const channels = new ChannelDirectory();
  const handoff = openHandoff(
    channels,
    storage,
    bus,
    store,
    texts,
    center,
    knowledge,
    config.knowledgeDir,
    clock,
    log,
    records,
  );
  const dossier = openDossiers(config, channels, storage, store, texts, knowledge, limits, clock, log, records);
  const unanswered = openUnansweredLog(config, redis);
  const bot = new AssistantBot(parser, dialogue, store, texts, log, handoff.desk, dossier.desk, unanswered, records);
  const recorder = new TranscriptRecorder(transcript);
  const attach = <A extends BaseAdapter>(adapter: A): A => {
    adapter.use(recorder);
    adapter.onTurnError = async (context, error) => {
      log.error({ err: error, conversation: context.activity.conversation?.id }, 'turn.failed');
      await context.sendActivity(texts.say('error', { hotline: center.value('hotline') }));
    };
    return adapter;
  };
  const adapter = attach(new LocalAdapter());
  handoff.desk.connect('cli', adapter);
  return {
    knowledge,
    parser,
    answers,
    bot,
    adapter,
    store,
    transcript,
    storage,
    bus,
    limits,
    redis,
    storeReachable,
    unanswered,
    outbox,
    async forget(conversation) {
      await transcript.forget(conversation);
      await store.delete(conversation);
      await handoff.queue.close(conversation);
      await handoff.callbacks.forget(conversation);
      await handoff.surveys.forget(conversation);
      await dossier.watch.forget(conversation);
    },
    model,
    attach,
    handoff,
    dossier,
    async chat(conversationId, text, channel = 'cli') {
      const activity = Activity.fromObject({
        type: ActivityTypes.Message,
        id: `${Date.now()}-${Math.random().toString(36).slice(2)}`,
        channelId: channel,
        conversation: { id: conversationId },
        from: { id: conversationId, role: 'user' },
        recipient: { id: 'assistant', role: 'bot' },
        text,
        locale: 'vi-VN',
      });
      const { activities, turnState } = await adapter.process(activity, bot);
      return { outcome: turnState.get(TURN_OUTCOME) as TurnOutcome | undefined, replies: activities.map(fromActivity) };
    },
    warmUp: () => {
      knowledge.search.matchAllAliases();
      return warmUp(
        parser,
        inputs.corpus.examples.map((e) => e.utterance),
      );
    },
    close,
  };
}

/** Messages parsed between two yields to the event loop while warming up: a few milliseconds' worth. */
const WARM_UP_BATCH = 10;

async function warmUp(
  parser: MessageParser,
  messages: readonly string[],
): Promise<{ messages: number; milliseconds: number }> {
  const started = performance.now();
  for (let i = 0; i < messages.length; i += 1) {
    await parser.parse(messages[i]!);
    if (i % WARM_UP_BATCH === WARM_UP_BATCH - 1) await new Promise((resolve) => setImmediate(resolve));
  }
  return { messages: messages.length, milliseconds: performance.now() - started };
}

export interface Handoff {
  desk: HandoffDesk;
  queue: HandoffQueue;
  presence: AgentPresence;
  surveys: SatisfactionSurvey;
  callbacks: CallbackTasks;
  canned: CannedResponses;
}

function openHandoff(
  channels: ChannelDirectory,
  storage: Storage,
  bus: EventBus,
  state: VersionedStore<ConversationState>,
  texts: ReplyTexts,
  center: CenterAnswers,
  knowledge: KnowledgeBase,
  knowledgeDir: string,
  clock: () => number,
  log: Logger,
  records: RecordSink,
): Handoff {
  const queue = new HandoffQueue(storage, bus, clock);
  const presence = new AgentPresence(storage, clock);
  const surveys = new SatisfactionSurvey(storage);
  const callbacks = new CallbackTasks(storage, clock);
  const desk = new HandoffDesk({
    records,
    queue,
    channels,
    presence,
    hours: BusinessHours.load(knowledgeDir),
    surveys,
    callbacks,
    state,
    texts,
    hotline: center.value('hotline'),
    fold: (s) => knowledge.text.fold(s),
    clock,
    log,
  });
  return { desk, queue, presence, surveys, callbacks, canned: new CannedResponses(storage, knowledgeDir) };
}

interface Dossiers {
  desk: DossierDesk;
  watch: DossierWatch;
  provider: DossierStatusProvider;
}

/** The one-stop system when DOSSIER_API_URL is set, else the demo dossiers of knowledge/demo-dossiers.json. */
function openDossiers(
  config: AssistantConfig,
  channels: ChannelDirectory,
  storage: Storage,
  state: VersionedStore<ConversationState>,
  texts: ReplyTexts,
  knowledge: KnowledgeBase,
  limits: SharedLimits,
  clock: () => number,
  log: Logger,
  records: RecordSink,
): Dossiers {
  const settings = config.dossier ?? {
    apiUrl: undefined,
    apiToken: undefined,
    timeoutMs: 3000,
    verifyPhone: true,
    pollSeconds: 300,
  };
  const provider: DossierStatusProvider =
    settings.apiUrl === undefined
      ? DemoDossierProvider.load(config.knowledgeDir)
      : new HttpDossierProvider({
          baseUrl: settings.apiUrl,
          token: settings.apiToken,
          timeoutMs: settings.timeoutMs,
          log,
        });
  const answers = new DossierAnswers(texts, provider.demo);
  const watch = new DossierWatch(storage, provider, answers, texts, channels, log, clock);
  const desk = new DossierDesk({
    records,
    provider,
    answers,
    watch,
    texts,
    state,
    limits,
    verifyPhone: settings.verifyPhone,
    fold: (s) => knowledge.text.fold(s),
    log,
    clock,
  });
  return { desk, watch, provider };
}

/** What the product's intent model is trained from: intents/, plus examples generated from the aliases. */
export function modelInputs(
  config: Pick<AssistantConfig, 'knowledgeDir' | 'intentsDir'>,
  mentions: ProcedureMentions,
): ModelInputs {
  const corpus = IntentCorpus.load(config.intentsDir);
  return {
    corpus,
    dependencies: modelDependencies(config.knowledgeDir),
    trainingSet: () =>
      buildTrainingSet(
        corpus.examples,
        aliasNames(config.knowledgeDir),
        (u) => mentions.namesByName(u),
        corpus.fingerprint,
      ),
  };
}

/** The national portal in knowledge/center.json: where the answers send citizens to apply online. */
const Portal = z.object({ name_vi: z.string().min(1), url: z.string().url() });

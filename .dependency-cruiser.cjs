/**
 * The boundaries CI holds (`npm test` runs `depcruise`): see docs/architecture.md.
 * - no cycles anywhere;
 * - the core (src/core) defines the seams (turn-gates.ts, activities.ts) and imports none of the parts
 *   that implement them (handoff, dossier desks), no server, no channel;
 * - channels (adapters/) use the core's channel-facing surface and shared infrastructure, never the
 *   dialogue, the NLU, the search or the catalogue;
 * - only the composition root (src/server.ts, src/main.ts, src/cli/) knows the channels.
 */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'core-imports-no-implementation',
      comment:
        'The core defines the seams; the handoff and dossier desks, the server and the channels implement or use them.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: {
        path: '^(adapters/|src/(handoff|staff|agent-console|http|server\\.ts|main\\.ts|cli)/?|src/dossier/(?!dossier-record\\.ts))',
      },
    },
    {
      name: 'channels-use-the-channel-surface',
      comment:
        'A channel translates activities; what the bot knows (dialogue, NLU, search, catalogue) is not its business.',
      severity: 'error',
      from: { path: '^adapters/' },
      to: {
        path: '^src/(core/(?!activities\\.ts|reply\\.ts|transcript-recorder\\.ts|text-only-adapter\\.ts)|nlu|search|catalogue|knowledge|dossier/dossier-desk)',
      },
    },
    {
      name: 'only-the-composition-root-knows-channels',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(server\\.ts|main\\.ts|cli/)' },
      to: { path: '^adapters/' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|tests|bench)/' },
  },
};

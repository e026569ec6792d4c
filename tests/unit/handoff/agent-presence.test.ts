import { describe, expect, it } from 'vitest';
import { AgentPresence, PRESENCE_TIMEOUT_MS } from '../../../src/handoff/agent-presence.ts';
import { MemoryStorage } from '../../../src/state/memory-storage.ts';
import { RedisStorage } from '../../../src/state/redis-storage.ts';
import { redisConnections, redisPrefixes } from '../../helpers/redis.ts';

const newPrefix = redisPrefixes();
const redis = redisConnections();

describe('AgentPresence', () => {
  it('lists agents whose console beat lately, once each, and forgets a silent one after the timeout', async () => {
    const clock = { now: 1_000_000 };
    const presence = new AgentPresence(new MemoryStorage(), () => clock.now);
    await presence.beat('lan', 'agent');
    await presence.beat('chi', 'supervisor');
    await presence.beat('lan', 'agent');
    expect(await presence.online()).toEqual([
      { username: 'lan', role: 'agent' },
      { username: 'chi', role: 'supervisor' },
    ]);
    clock.now += PRESENCE_TIMEOUT_MS - 1;
    await presence.beat('chi', 'supervisor');
    clock.now += 1;
    expect(await presence.online()).toEqual([{ username: 'chi', role: 'supervisor' }]);
  });

  it('keeps an agent online while a console of theirs is open on another process (shared Redis)', async () => {
    const options = { prefix: newPrefix(), ttlSeconds: 60 };
    const [onA, onB] = [
      new AgentPresence(new RedisStorage(redis(), options)),
      new AgentPresence(new RedisStorage(redis(), options)),
    ];
    await onA.beat('lan', 'agent');
    await onB.beat('lan', 'agent');
    // Lan closes the console on B: the one on A is still open.
    await onB.leave('lan');
    expect(await onA.online()).toEqual([{ username: 'lan', role: 'agent' }]);
    expect(await onB.online()).toEqual([{ username: 'lan', role: 'agent' }]);
    await onA.leave('lan');
    expect(await onB.online()).toEqual([]);
  });
});

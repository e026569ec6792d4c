import type { Response } from 'express';
import type { DeskAgent } from '../handoff/handoff-desk.ts';
import { Errors } from '../shared/errors.ts';
import type { AgentSession } from '../staff/agent-sessions.ts';

/** What a request of a logged-in agent carries (set by the console's authentication, for every /agent/api route). */
export interface Authed {
  session: AgentSession;
  token: string;
  agent: DeskAgent;
}

export function authed(res: Response): Authed {
  return res.locals.authed as Authed;
}

/** The signed-in supervisor, or a 403 for anyone else. */
export function supervisorOf(res: Response): Authed {
  const a = authed(res);
  if (a.agent.role !== 'supervisor') throw Errors.agentForbidden('supervisors only');
  return a;
}

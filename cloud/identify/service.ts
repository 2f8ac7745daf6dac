/**
 * Identify: weigh the liveness evidence, open the sealed embedding, search the index, and answer
 * match / ambiguous / no match. A match issues a single-use token for this terminal and this
 * amount; the answer carries only what the customer's confirmation needs ("Pay ¥12.50 as 张*丰?"):
 * the masked name and the token. No phone digits: a stolen terminal key and a photo must not
 * learn who someone is.
 *
 * The token is the cloud's own record that this terminal showed fresh, live evidence for this
 * payer and this amount (a row, single use, expiring): authorise accepts nothing else, so a face
 * payment without evidence the cloud weighed cannot happen.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IdentifyResponse, LivenessEvidence, SealedBox } from '../api';
import type { AuthenticatedTerminal } from '../auth/terminals';
import type { Db } from '../db';
import { identifyContext, type SealOpener } from '../crypto/seal';
import { CloudError } from '../errors';
import type { Limiter } from '../limits/limiter';
import { maskName } from '../payers/mask';
import { checkLiveness, type LivenessPolicy } from './liveness-policy';
import type { SearchResult, TemplateIndex } from './template-index';

export interface MatchPolicy {
  /** Cosine at or above which two faces are taken for one person. */
  threshold: number;
  /** How far the best payer must lead the runner-up for the match to be unique. */
  margin: number;
  tokenTtlMs: number;
  liveness: LivenessPolicy;
}

export type Decision =
  { kind: 'match'; payerId: string } | { kind: 'ambiguous' } | { kind: 'no_match' };

/**
 * The rule, in one place. Over the threshold with a clear lead: a match. Over the threshold
 * without one: ambiguous, unless the search was already narrowed by the phone tail (then
 * nothing narrower is left to ask for, so it is no match).
 */
export function decide(result: SearchResult, policy: MatchPolicy, narrowed: boolean): Decision {
  const { best, second } = result;
  if (best === null || best.score < policy.threshold) return { kind: 'no_match' };
  if (second === null || best.score - second.score >= policy.margin) {
    return { kind: 'match', payerId: best.payerId };
  }
  return narrowed ? { kind: 'no_match' } : { kind: 'ambiguous' };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface IdentifyInput {
  sealedEmbedding: SealedBox;
  liveness: LivenessEvidence;
  amountFen: number;
  phoneTail?: string | undefined;
}

export class IdentifyService {
  constructor(
    private readonly db: Db,
    private readonly index: TemplateIndex,
    private readonly opener: SealOpener,
    private readonly policy: MatchPolicy,
    private readonly limiter: Limiter,
  ) {}

  /** `signedAt`: the request's signed timestamp, which the evidence's times are measured from. */
  async identify(
    terminal: AuthenticatedTerminal,
    input: IdentifyInput,
    signedAt: number,
  ): Promise<IdentifyResponse> {
    await this.limiter.take('identifyPerTerminal', terminal.id);
    checkLiveness(input.liveness, signedAt, this.policy.liveness);
    let probe: Float32Array;
    try {
      probe = this.opener.open(input.sealedEmbedding, identifyContext(terminal.id));
    } catch {
      throw new CloudError(
        'DECRYPTION_FAILED',
        'the sealed embedding does not open',
        'sealedEmbedding',
      );
    }
    if (probe.length !== this.index.dim || !probe.every(Number.isFinite)) {
      throw new CloudError(
        'VALIDATION',
        `expected a ${this.index.dim}-d embedding`,
        'sealedEmbedding',
      );
    }

    const narrowed = input.phoneTail !== undefined;
    const decision = decide(this.index.search(probe, input.phoneTail), this.policy, narrowed);
    if (decision.kind === 'ambiguous') return { result: 'ambiguous', ask: 'phone_tail' };
    if (decision.kind === 'no_match') return { result: 'no_match' };

    const payer = (
      await this.db.query<{ name: string }>('SELECT name FROM payers WHERE id = $1', [
        decision.payerId,
      ])
    ).rows[0];
    if (payer === undefined) return { result: 'no_match' }; // deleted since the index saw it
    await this.limiter.take('matchesPerPayer', decision.payerId);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.policy.tokenTtlMs);
    await this.db.query(
      `INSERT INTO payer_tokens (token_hash, payer_id, terminal_id, amount_fen, expires_at)
       VALUES ($1, $2, $3, $4, $5)`,
      [hashToken(token), decision.payerId, terminal.id, input.amountFen, expiresAt],
    );
    return {
      result: 'match',
      token,
      tokenExpiresAt: expiresAt.toISOString(),
      payer: { maskedName: maskName(payer.name) },
    };
  }
}

import { ruleMatches, type LeadFacts, type Rule } from './assignment.domain';
import { decideRescore, type RescoredLead } from './rescore.domain';

const OWNER = '00000000-0000-4000-8000-000000000001';
const rule = (id: string, name: string, position: number, match: Rule['match'], team: string): Rule => ({
  id,
  name,
  position,
  match,
  target: { kind: 'team', team },
  followUpHours: 24,
  active: true,
});
// Hot leads (score 70+) go to the key-account team, the rest of the east to the east team.
const HOT = rule('r-hot', 'Hot', 1, { regions: ['east'], minScore: 70 }, 'key');
const EAST = rule('r-east', 'East', 2, { regions: ['east'] }, 'east');
const WEST = rule('r-west', 'West', 3, { regions: ['west'] }, 'west');
const RULES = [WEST, EAST, HOT];

const facts = (over: Partial<LeadFacts> = {}): LeadFacts => ({ source: 'phone', region: 'east', score: 40, ...over });
const lead = (before: Partial<LeadFacts>, after: Partial<LeadFacts>, over: Partial<RescoredLead> = {}): RescoredLead => ({
  status: 'contacted',
  ownerRepId: OWNER,
  before: facts(before),
  after: facts(after),
  ...over,
});
const eastRep = { id: OWNER, team: 'east' };
const keyRep = { id: OWNER, team: 'key' };

describe('score bounds in a rule', () => {
  it('match a score between them, both inclusive, and never a lead nobody scored', () => {
    const band = { match: { minScore: 50, maxScore: 80 } };
    expect([49, 50, 80, 81].map((score) => ruleMatches(band, facts({ score })))).toEqual([false, true, true, false]);
    expect(ruleMatches(band, facts({ score: null }))).toBe(false);
    expect(ruleMatches({ match: { maxScore: 30 } }, facts({ score: 0 }))).toBe(true);
    expect(ruleMatches({ match: {} }, facts({ score: null }))).toBe(true);
  });
});

describe('a change of what the rules look at', () => {
  it('moves the lead when its score crosses a threshold upwards, naming both scores and both rules', () => {
    expect(decideRescore(RULES, lead({ score: 40 }, { score: 75 }), eastRep)).toEqual({
      kind: 'reassign',
      excludeRepId: OWNER,
      note: "score_changed: score 40 → 75, rule 'East' → rule 'Hot'",
      scoreChange: { from: 40, to: 75, previousRule: 'East', rule: 'Hot' },
    });
  });

  it('moves the lead when its score crosses a threshold downwards', () => {
    expect(decideRescore(RULES, lead({ score: 90 }, { score: 69 }), keyRep)).toMatchObject({
      kind: 'reassign',
      scoreChange: { from: 90, to: 69, previousRule: 'Hot', rule: 'East' },
    });
    expect(decideRescore(RULES, lead({ score: null }, { score: 70 }), eastRep)).toMatchObject({ kind: 'reassign', scoreChange: { from: null, to: 70 } });
  });

  it('keeps the lead when the score changes without crossing a threshold', () => {
    expect(decideRescore(RULES, lead({ score: 40 }, { score: 69 }), eastRep)).toEqual({ kind: 'keep', why: "no threshold crossed: rule 'East' still wins" });
    expect(decideRescore(RULES, lead({ score: 75 }, { score: 100 }), keyRep)).toMatchObject({ kind: 'keep' });
    expect(decideRescore(RULES, lead({ score: 40 }, { score: 40 }), eastRep)).toEqual({ kind: 'keep', why: 'nothing the rules look at changed' });
  });

  it('never moves a converted or disqualified lead', () => {
    for (const status of ['converted', 'disqualified'] as const) {
      expect(decideRescore(RULES, lead({ score: 40 }, { score: 75 }, { status }), eastRep)).toEqual({ kind: 'keep', why: `the lead is ${status}` });
    }
  });

  it('keeps the lead when the winning rule targets its current owner', () => {
    expect(decideRescore(RULES, lead({ score: 40 }, { score: 75 }), keyRep)).toEqual({
      kind: 'keep',
      why: "rule 'Hot' now wins and its target holds the owner",
    });
    const poolRule = { ...HOT, target: { kind: 'pool' as const, repIds: [OWNER] } };
    expect(decideRescore([EAST, poolRule], lead({ score: 40 }, { score: 75 }), eastRep)).toMatchObject({ kind: 'keep' });
  });

  it('keeps the lead with its owner when no rule matches any more', () => {
    expect(decideRescore([HOT], lead({ score: 80 }, { score: 20 }), keyRep)).toEqual({
      kind: 'keep',
      why: 'no rule matches the lead now; it stays with its owner',
    });
  });

  it('says lead_quality, not score_changed, when another fact and not the score moved it', () => {
    const moved = decideRescore(RULES, lead({ score: null }, { region: 'west', score: 80 }), eastRep);
    expect(moved).toEqual({ kind: 'reassign', excludeRepId: OWNER, note: "lead re-scored: rule 'East' → rule 'West'" });
    // Both changed, and the score decided it: the old score in the new region would not reach Hot.
    const both = decideRescore(
      [WEST, EAST, HOT, rule('r-n', 'North', 4, { regions: ['north'] }, 'north')],
      lead({ region: 'north', score: 10 }, { region: 'east', score: 90 }),
      { id: OWNER, team: 'north' },
    );
    expect(both).toMatchObject({ kind: 'reassign', scoreChange: { from: 10, to: 90, previousRule: 'North', rule: 'Hot' } });
  });

  it('sends a queued lead back through the rules, saying when the score is why a rule now matches', () => {
    expect(decideRescore([HOT], lead({ score: 10 }, { score: 80 }, { status: 'unassigned', ownerRepId: null }), null)).toEqual({
      kind: 'retry',
      note: "score_changed: score 10 → 80, no rule → rule 'Hot'",
      scoreChange: { from: 10, to: 80, previousRule: null, rule: 'Hot' },
    });
    expect(decideRescore([HOT], lead({ score: 10 }, { score: 20 }, { status: 'unassigned', ownerRepId: null }), null)).toEqual({
      kind: 'retry',
      note: 'lead re-scored',
    });
    expect(decideRescore(RULES, lead({ score: 10 }, { score: 80 }, { status: 'unassigned' }), eastRep)).toMatchObject({ kind: 'retry' });
  });
});

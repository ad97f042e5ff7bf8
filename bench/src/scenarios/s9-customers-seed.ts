import type { Client } from 'pg';
import { round } from '../lib/stats';

/**
 * The customers' derived columns in SQL, as the service's pure normalisers write them (apps/customers
 * duplicates/duplicate.domain.ts, contacts/contact.domain.ts, accounts/account.domain.ts). The bench imports no app
 * code, so they are replicated here and checked against rows the service itself wrote (`checkFidelity`).
 * Session-local (pg_temp): the seeding connection defines and uses them.
 */
export const FUNCTIONS = `
CREATE FUNCTION pg_temp.uid(kind text, n bigint) RETURNS uuid IMMUTABLE LANGUAGE sql AS
  $$ SELECT (kind || '0000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid $$;
-- One of 60 reps (hashed, so an owner says nothing about the other seeded columns) and the rep's team.
CREATE FUNCTION pg_temp.rep(g bigint, salt bigint) RETURNS bigint IMMUTABLE LANGUAGE sql AS $$ SELECT 1 + abs(hashint8extended(g, salt)) % 60 $$;
CREATE FUNCTION pg_temp.team(rep bigint) RETURNS text IMMUTABLE LANGUAGE sql AS $$ SELECT (ARRAY['alpha','bravo','charlie'])[1 + (rep % 3)::int] $$;
-- normalizeEmail: trimmed, lower-cased, de-duplicated in order.
CREATE FUNCTION pg_temp.norm_emails(e text[]) RETURNS text[] IMMUTABLE LANGUAGE sql AS
  $$ SELECT coalesce(array_agg(v ORDER BY i), '{}') FROM (SELECT v, min(i) AS i FROM (SELECT lower(btrim(x)) AS v, i FROM unnest(e) WITH ORDINALITY u(x, i)) s
       WHERE v <> '' GROUP BY v) t $$;
-- normalizePhone: digits only, a leading + kept.
CREATE FUNCTION pg_temp.norm_phones(p text[]) RETURNS text[] IMMUTABLE LANGUAGE sql AS
  $$ SELECT coalesce(array_agg(v ORDER BY i), '{}') FROM (SELECT v, min(i) AS i FROM (SELECT i,
       CASE WHEN btrim(x) LIKE '+%' THEN '+' ELSE '' END || regexp_replace(x, '[^0-9]', '', 'g') AS v FROM unnest(p) WITH ORDINALITY u(x, i)) s
       WHERE v ~ '[0-9]' GROUP BY v) t $$;
-- The contact's search text: NFKC name, emails, phone digits without the +, company names; lower-cased.
CREATE FUNCTION pg_temp.contact_search(name text, emails text[], phones text[], companies text[]) RETURNS text IMMUTABLE LANGUAGE sql AS
  $$ SELECT lower(array_to_string(ARRAY[normalize(name, NFKC)] || emails || ARRAY(SELECT replace(p, '+', '') FROM unnest(phones) p) || companies, ' ')) $$;
-- normalizeName: NFKC, lower-cased, runs of anything but letters and digits as one space, trimmed.
CREATE FUNCTION pg_temp.norm_name(name text) RETURNS text IMMUTABLE LANGUAGE sql AS
  $$ SELECT btrim(regexp_replace(lower(normalize(name, NFKC)), '[^[:alnum:]]+', ' ', 'g')) $$;
-- hanBigrams: every pair of neighbouring Chinese characters of the normalised name, sorted.
CREATE FUNCTION pg_temp.han_bigrams(name text) RETURNS text[] IMMUTABLE LANGUAGE sql AS
  $$ SELECT coalesce(array_agg(DISTINCT b ORDER BY b), '{}') FROM generate_series(1, length(pg_temp.norm_name(name)) - 1) i,
       substr(pg_temp.norm_name(name), i, 2) b WHERE b ~ '^[\u4e00-\u9fff]{2}$' $$;
CREATE FUNCTION pg_temp.account_search(name text, domains text[], tax_id text) RETURNS text IMMUTABLE LANGUAGE sql AS
  $$ SELECT lower(array_to_string(ARRAY[normalize(name, NFKC)] || domains || ARRAY[coalesce(tax_id, '')], ' ')) $$;
`;

const arr = (xs: string[]) => `(ARRAY[${xs.map((x) => `'${x}'`).join(',')}])`;
const LATIN_FIRST =
  'James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Nancy Daniel Lisa Matthew Betty Anthony Margaret Mark Sandra Donald Ashley Steven Kimberly Paul Emily Andrew Donna Joshua Michelle'.split(
    ' ',
  );
const LATIN_LAST =
  'Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann'.split(
    ' ',
  );
const CN_SURNAME = '王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗'.split(' ');
const CN_SURNAME_PY = 'wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo'.split(' ');
const CN_GIVEN = '伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀 霞 平 刚 桂 英 华 建 文 辉 玲 宇 欣'.split(' ');
const CN_GIVEN_PY = 'wei fang na min jing li qiang lei jun yang yong yan jie juan tao ming chao xiu xia ping gang gui ying hua jian wen hui ling yu xin'.split(
  ' ',
);
const SYLLABLES = 'ka lo mer tan vi ro sen del mar tex al bor fin gra hel ion jun kor lum nor pax qua rex sol tri ul ver wex yor zen'.split(' ');
const INDUSTRY = 'Pumps Valves Controls Logistics Systems Foods Textiles Motors Software Chemicals'.split(' ');
const SUFFIX = ['Ltd', 'GmbH', 'Inc.', 'S.A.', 'B.V.', 'AG'];
const CITY = '北京 上海 深圳 广州 杭州 南京 成都 武汉 苏州 天津 重庆 西安'.split(' ');
const BRAND = '华 为 腾 讯 阿 里 百 度 京 东 美 的 海 尔 格 力 联 想 小 米 比 亚 迪 中 兴 长 城 吉 利 宁'.split(' ');
const CN_INDUSTRY = '科技 贸易 机械 电子 医药 化工 物流 食品'.split(' ');

/**
 * Accounts: 1 in 3 Chinese ("北京华为科技有限公司"), the rest Latin ("Kalomer Pumps GmbH", kalomerpumps.example);
 * contacts: 2 in 5 Chinese names (pinyin emails, +86 mobiles), the rest Latin (+49 numbers); 3 in 10 have a second
 * email, 1 in 10 a second account; created over three years; 60 reps in 3 teams own them.
 */
export const seedSql = (accounts: number, contacts: number) => `
INSERT INTO accounts (id, name, domains, owner_rep_id, team, normalized_name, name_bigrams, search_text, created_by, created_at, updated_at)
SELECT pg_temp.uid('a', g), name, domains, pg_temp.uid('f', pg_temp.rep(g, 1)), pg_temp.team(pg_temp.rep(g, 1)),
       pg_temp.norm_name(name), pg_temp.han_bigrams(name), pg_temp.account_search(name, domains, NULL), 'bench', t, t
FROM (SELECT g, t,
        CASE WHEN g % 3 = 0
          THEN ${arr(CITY)}[1 + g % ${CITY.length}] || ${arr(BRAND)}[1 + (g / 7) % ${BRAND.length}] || ${arr(BRAND)}[1 + (g / 211) % ${BRAND.length}]
               || ${arr(CN_INDUSTRY)}[1 + (g / 13) % ${CN_INDUSTRY.length}] || '有限公司'
          ELSE initcap(stem) || ' ' || ${arr(INDUSTRY)}[1 + (g / 7) % ${INDUSTRY.length}] || ' ' || ${arr(SUFFIX)}[1 + (g / 71) % ${SUFFIX.length}] END AS name,
        CASE WHEN g % 3 = 0 THEN ARRAY['cn' || g || '.example']
          ELSE ARRAY[stem || lower(${arr(INDUSTRY)}[1 + (g / 7) % ${INDUSTRY.length}]) || '.example'] END AS domains
      FROM (SELECT g, timestamptz '2023-01-01' + (g::float8 / ${accounts}) * interval '3 years' AS t,
              ${arr(SYLLABLES)}[1 + g % 30] || ${arr(SYLLABLES)}[1 + (g / 30) % 30] || ${arr(SYLLABLES)}[1 + (g / 900) % 30] AS stem
            FROM generate_series(1, ${accounts}) g) s) a;

INSERT INTO contacts (id, name, emails, phones, preferred_channel, owner_rep_id, team, normalized_emails, normalized_phones, search_text, created_by, created_at, updated_at)
SELECT pg_temp.uid('c', g), name, emails, phones, NULL, pg_temp.uid('f', pg_temp.rep(g, 2)), pg_temp.team(pg_temp.rep(g, 2)),
       emails, pg_temp.norm_phones(phones),
       pg_temp.contact_search(name, emails, pg_temp.norm_phones(phones), ARRAY(SELECT a.name FROM accounts a WHERE a.id IN (pg_temp.uid('a', a1), pg_temp.uid('a', a2)) ORDER BY a.id <> pg_temp.uid('a', a1))),
       'bench', t, t
FROM (SELECT g, t, a1, a2,
        CASE WHEN cn THEN sur || given ELSE first || ' ' || last END AS name,
        ARRAY[local || '@' || (SELECT a.domains[1] FROM accounts a WHERE a.id = pg_temp.uid('a', a1))]
          || CASE WHEN g % 10 < 3 THEN ARRAY[local || (g % 97) || '@mail.example'] ELSE '{}' END AS emails,
        ARRAY[CASE WHEN cn THEN '+86 1' || (30 + g % 60) || ' ' || lpad((n / 10000)::text, 4, '0') || ' ' || lpad((n % 10000)::text, 4, '0')
                   ELSE '+49 ' || (30 + g % 70) || ' ' || lpad(n::text, 8, '0') END] AS phones
      FROM (SELECT g, cn, n, t, a1, CASE WHEN g % 10 = 0 THEN 1 + (g::bigint * 13 + 5) % ${accounts} END AS a2,
              ${arr(CN_SURNAME)}[1 + (g / 5) % 20] || ${arr(CN_GIVEN)}[1 + (g / 100) % 30] || coalesce(${arr(CN_GIVEN)}[1 + (g / 3000) % 45], '') AS sur,
              '' AS given, ${arr(LATIN_FIRST)}[1 + (g / 5) % 40] AS first, ${arr(LATIN_LAST)}[1 + (g / 200) % 60] AS last,
              CASE WHEN cn THEN ${arr(CN_SURNAME_PY)}[1 + (g / 5) % 20] || '.' || ${arr(CN_GIVEN_PY)}[1 + (g / 100) % 30] || coalesce(${arr(CN_GIVEN_PY)}[1 + (g / 3000) % 45], '')
                   ELSE lower(${arr(LATIN_FIRST)}[1 + (g / 5) % 40] || '.' || ${arr(LATIN_LAST)}[1 + (g / 200) % 60]) END AS local
            FROM (SELECT g, g % 5 < 2 AS cn, (g::bigint * 7919 + 12345) % 100000000 AS n, 1 + (g::bigint * 7) % ${accounts} AS a1,
                    timestamptz '2023-01-01' + (g::float8 / ${contacts}) * interval '3 years' AS t
                  FROM generate_series(1, ${contacts}) g) b) c) d;

INSERT INTO contact_accounts (contact_id, account_id, since)
SELECT pg_temp.uid('c', g), pg_temp.uid('a', 1 + (g::bigint * 7) % ${accounts}), timestamptz '2023-01-01' + (g::float8 / ${contacts}) * interval '3 years'
  FROM generate_series(1, ${contacts}) g
UNION ALL
SELECT pg_temp.uid('c', g), pg_temp.uid('a', 1 + (g::bigint * 13 + 5) % ${accounts}), timestamptz '2023-01-01' + (g::float8 / ${contacts}) * interval '3 years'
  FROM generate_series(10, ${contacts}, 10) g WHERE (g::bigint * 13 + 5) % ${accounts} <> (g::bigint * 7) % ${accounts};`;

/** Drops the tables' secondary indexes (loading into a GIN trigram index row by row is the slow part), returns how to rebuild them. */
export async function dropIndexes(client: Client, tables: string[]): Promise<string[]> {
  const rows: { indexname: string; indexdef: string }[] = (
    await client.query(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname JOIN pg_index x ON x.indexrelid = c.oid
        WHERE i.schemaname = 'public' AND i.tablename = ANY($1) AND NOT x.indisprimary`,
      [tables],
    )
  ).rows;
  for (const r of rows) await client.query(`DROP INDEX ${r.indexname}`);
  return rows.map((r) => r.indexdef);
}

export async function rebuildIndexes(client: Client, defs: string[]): Promise<number> {
  const t0 = performance.now();
  await client.query(`SET maintenance_work_mem = '1GB'`);
  for (const def of defs) await client.query(def);
  return round((performance.now() - t0) / 1000, 1);
}

/** Accounts, contacts and memberships straight into the service's tables; seconds for the rows and for the indexes. */
export async function seedCustomers(client: Client, accounts: number, contacts: number) {
  await client.query(FUNCTIONS);
  const defs = await dropIndexes(client, ['accounts', 'contacts', 'contact_accounts']);
  const t0 = performance.now();
  // Foreign keys are checked by construction (every membership names a seeded contact and account).
  await client.query('SET session_replication_role = replica');
  await client.query(seedSql(accounts, contacts));
  await client.query('SET session_replication_role = DEFAULT');
  const rowSeconds = round((performance.now() - t0) / 1000, 1);
  const indexSeconds = await rebuildIndexes(client, defs);
  await client.query('ANALYZE accounts; ANALYZE contacts; ANALYZE contact_accounts');
  return { rowSeconds, indexSeconds };
}

/**
 * The replicated normalisers against rows the service wrote through its API: the same inputs must give the same
 * normalised columns and search text, or the seeded data would not be what the search meets in production.
 */
export async function checkFidelity(client: Client, accountId: string, contactId: string): Promise<void> {
  const [a] = (
    await client.query(
      `SELECT normalized_name = pg_temp.norm_name(name) AS name, name_bigrams = pg_temp.han_bigrams(name) AS bigrams,
              search_text = pg_temp.account_search(name, domains, tax_id) AS search FROM accounts WHERE id = $1`,
      [accountId],
    )
  ).rows;
  const [c] = (
    await client.query(
      `SELECT normalized_emails = pg_temp.norm_emails(emails) AS emails, normalized_phones = pg_temp.norm_phones(phones) AS phones,
              search_text = pg_temp.contact_search(name, pg_temp.norm_emails(emails), pg_temp.norm_phones(phones),
                ARRAY(SELECT a.name FROM contact_accounts ca JOIN accounts a ON a.id = ca.account_id WHERE ca.contact_id = c.id ORDER BY ca.since, a.id)) AS search
         FROM contacts c WHERE id = $1`,
      [contactId],
    )
  ).rows;
  const wrong = [...Object.entries(a).map(([k, v]) => [`account ${k}`, v]), ...Object.entries(c).map(([k, v]) => [`contact ${k}`, v])].filter(
    ([, v]) => v !== true,
  );
  if (wrong.length) throw new Error(`seeded columns differ from the service's: ${wrong.map(([k]) => k).join(', ')}`);
}

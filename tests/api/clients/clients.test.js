// Clients over HTTP: cards with validated requisites and phones, custom fields (required, kinds), permissions by
// role (admin, head of sales, sellers with scope own, a read-only analyst), search, timeline, duplicates and merge.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.js';
import { signIn, signInAdmin, signInRop } from '../lib/client.js';
import { assertFieldError, CYRILLIC } from '../lib/checks.js';

let server, admin, rop, seller, seller2, analyst;
const demo = (email) => ({ email, password: 'otdel-demo' });
const put = (c, path, json) => c.request('PUT', path, { json });

before(async () => {
  server = await startServer();
  admin = await signInAdmin(server);
  rop = await signInRop(server);
  seller = await signIn(server, demo('designer@otdel.demo'));
  seller2 = await signIn(server, demo('designer3@otdel.demo'));
  analyst = await signIn(server, demo('analyst@otdel.demo'));
});
after(async () => { await server?.dispose(); });

test('a seller creates a company card; phones normalised, owner is the creator, bad requisites are field errors', async () => {
  const bad = await seller.post('/api/v1/companies', {
    name: 'Кухни на Ленина', legal_form: 'ip', inn: '7707083893', kpp: '773601001',
    bank_details: { bik: '044525225', account: '40702810000000000000' },
    phones: ['8 912 345', '+7 (912) 345-67-89'], emails: ['not an email'],
  });
  assert.equal(bad.status, 422);
  assert.match(bad.body.detail, CYRILLIC);
  assertFieldError(bad, 'inn', 'inn_for_ip');
  assertFieldError(bad, 'kpp', 'kpp_for_ip');
  assertFieldError(bad, 'bank_details/account', 'invalid_account');
  assertFieldError(bad, 'phones/0', 'invalid_phone');
  assertFieldError(bad, 'emails/0', 'invalid_email');
  assert.match(bad.body.errors.find((e) => e.field === 'inn').message, /ИНН/);
  assert.equal((await seller.get('/api/v1/companies?q=Кухни на Ленина')).body.items.length, 0, 'nothing half-written');

  const ok = await seller.post('/api/v1/companies', {
    name: 'Кухни на Ленина', legal_form: 'ooo', inn: '7707083893', purchase_volume_minor: 125000000,
    payment_discipline: 'good', tags: ['дилер'],
    phones: [{ value: '8 (912) 345-67-89', label: 'work' }, '+7 495 765-43-21'], emails: ['Zakaz@Lenina.RU'],
  });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.phones[0].value, '+79123456789');
  assert.equal(ok.body.phones[0].is_primary, true);
  assert.equal(ok.body.emails[0].value, 'zakaz@lenina.ru');
  assert.equal(ok.body.owner_user_id, seller.me.id);
  assert.ok(ok.body.owner_name.length > 0);
});

test('visibility: sellers see only their own companies (404 by id), heads and admins see all, the analyst only reads',
  async () => {
    const mine = (await seller.post('/api/v1/companies', { name: 'Студия «Интерьер-Плюс»' })).body;
    assert.equal((await seller2.get(`/api/v1/companies/${mine.id}`)).status, 404);
    assert.equal((await seller2.patch(`/api/v1/companies/${mine.id}`, { notes: 'x' })).status, 404);
    assert.ok(!(await seller2.get('/api/v1/companies?limit=200')).body.items.some((c) => c.id === mine.id));
    assert.ok(!(await seller2.get(`/api/v1/search?q=${encodeURIComponent('интерьер-плюс')}`)).body.items.some((i) => i.id === mine.id));
    assert.ok((await seller.get(`/api/v1/search?q=${encodeURIComponent('интерьер-плюс')}`)).body.items.some((i) => i.id === mine.id));
    assert.equal((await rop.get(`/api/v1/companies/${mine.id}`)).status, 200);
    assert.equal((await admin.get(`/api/v1/companies/${mine.id}`)).status, 200);
    assert.equal((await analyst.get(`/api/v1/companies/${mine.id}`)).status, 200);
    assert.equal((await analyst.patch(`/api/v1/companies/${mine.id}`, { notes: 'x' })).status, 403);
    assert.equal((await analyst.post('/api/v1/companies', { name: 'Нельзя' })).status, 403);
    // Sellers cannot delete; the head can, and restore.
    assert.equal((await seller.delete(`/api/v1/companies/${mine.id}`)).status, 403);
    const del = await rop.delete(`/api/v1/companies/${mine.id}`);
    assert.equal(del.status, 200);
    assert.ok(del.body.deleted_at);
    assert.ok((await rop.get('/api/v1/companies?deleted=true')).body.items.some((c) => c.id === mine.id));
    assert.equal((await rop.post(`/api/v1/companies/${mine.id}/restore`)).status, 200);
    // Handing a card to someone else needs the assign right.
    assert.equal((await seller.patch(`/api/v1/companies/${mine.id}`, { owner_user_id: seller2.me.id })).status, 403);
    const given = await rop.patch(`/api/v1/companies/${mine.id}`, { owner_user_id: seller2.me.id });
    assert.equal(given.status, 200);
    assert.equal((await seller2.get(`/api/v1/companies/${mine.id}`)).status, 200);
    assert.equal((await seller.get(`/api/v1/companies/${mine.id}`)).status, 404);
  });

test('custom fields: only admins and heads define them; required and typed values are enforced on every write',
  async () => {
    const def = { entity: 'company', code: 'kitchen_style', label_ru: 'Стиль кухни', label_en: 'Kitchen style',
      kind: 'choice', options: [{ value: 'modern', label_ru: 'Современный', label_en: 'Modern' },
        { value: 'classic', label_ru: 'Классика', label_en: 'Classic' }], required: true };
    assert.equal((await seller.post('/api/v1/custom-fields', def)).status, 403);
    const created = await admin.post('/api/v1/custom-fields', def);
    assert.equal(created.status, 201, created.text);
    assert.equal((await admin.post('/api/v1/custom-fields', def)).status, 409);
    const badDef = await admin.post('/api/v1/custom-fields', { ...def, code: 'Bad Code', options: [] });
    assert.equal(badDef.status, 422);

    const missing = await seller.post('/api/v1/companies', { name: 'Без стиля' });
    assert.equal(missing.status, 422);
    assertFieldError(missing, 'custom/kitchen_style', 'required');
    const wrong = await seller.post('/api/v1/companies', { name: 'Лофт', custom: { kitchen_style: 'loft' } });
    assertFieldError(wrong, 'custom/kitchen_style', 'not_an_option');
    const unknown = await seller.post('/api/v1/companies',
      { name: 'Лофт', custom: { kitchen_style: 'modern', nope: 1 } });
    assertFieldError(unknown, 'custom/nope', 'unknown_field');
    const ok = await seller.post('/api/v1/companies', { name: 'Модерн-кухни', custom: { kitchen_style: 'modern' } });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.body.custom.kitchen_style, 'modern');
    const filtered = await seller.get('/api/v1/companies?custom.kitchen_style=modern');
    assert.deepEqual(filtered.body.items.map((c) => c.name), ['Модерн-кухни']);
    const cleared = await seller.patch(`/api/v1/companies/${ok.body.id}`, { custom: { kitchen_style: null } });
    assertFieldError(cleared, 'custom/kitchen_style', 'required');

    const archived = await admin.delete(`/api/v1/custom-fields/${created.body.id}`);
    assert.equal(archived.status, 200);
    assert.ok(archived.body.archived_at);
    assert.equal((await seller.post('/api/v1/companies', { name: 'После архива' })).status, 201);
    assert.ok(!(await seller.get('/api/v1/custom-fields?entity=company')).body.items.some((f) => f.code === 'kitchen_style'));
  });

test('contacts link to companies with a decision role; the company card lists decision makers first', async () => {
  const co = (await seller.post('/api/v1/companies', { name: 'ЖК «Северная звезда»' })).body;
  const p = await seller.post('/api/v1/contacts', {
    last_name: 'Гордеева', first_name: 'Алла', middle_name: 'Викторовна', birthday: '1984-05-12',
    phones: ['8 903 111-22-33'], emails: ['alla@zvezda.ru'],
  });
  assert.equal(p.status, 201, p.text);
  assert.equal(p.body.full_name, 'Гордеева Алла Викторовна');
  const badBirthday = await seller.post('/api/v1/contacts', { first_name: 'Иван', birthday: '1984-02-30' });
  assertFieldError(badBirthday, 'birthday', 'invalid_date');
  const link = await put(seller, `/api/v1/companies/${co.id}/contacts/${p.body.id}`,
    { position: 'Директор по закупкам', decision_role: 'decision_maker' });
  assert.equal(link.status, 200, link.text);
  assert.deepEqual(link.body.decision_maker_ids, [p.body.id]);
  const card = await seller.get(`/api/v1/contacts/${p.body.id}`);
  assert.equal(card.body.companies[0].company_id, co.id);
  const tl = await seller.get(`/api/v1/companies/${co.id}/timeline`);
  assert.equal(tl.status, 200);
  assert.ok(tl.body.items.some((i) => i.kind === 'company.link_contact' && i.source === 'audit'));
  assert.equal((await seller2.get(`/api/v1/companies/${co.id}/timeline`)).status, 404);
  const un = await seller.delete(`/api/v1/companies/${co.id}/contacts/${p.body.id}`);
  assert.equal(un.body.contacts.length, 0);
});

test('search finds a phone in any spelling, e-mail parts, INN and Cyrillic in any case, within visibility', async () => {
  const c = await seller.post('/api/v1/contacts', {
    last_name: 'Щукина', first_name: 'Ярослава', phones: ['+7 (926) 700-80-90'], emails: ['yaroslava@dom.ru'],
    notes: 'Хочет остров и барную стойку',
  });
  assert.equal(c.status, 201);
  for (const q of ['89267008090', '+7 926 700 80 90', '926 700', 'ЩУКИНА', 'щук', 'yaroslava@dom.ru', 'барную стойку']) {
    const r = await seller.get(`/api/v1/search?q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200);
    assert.ok(r.body.items.some((i) => i.type === 'contact' && i.id === c.body.id), `found by ${q}`);
  }
  const only = await seller.get(`/api/v1/search?q=${encodeURIComponent('щукина')}&types=company`);
  assert.equal(only.body.items.length, 0);
  assert.equal((await seller2.get(`/api/v1/search?q=${encodeURIComponent('щукина')}`)).body.items.length, 0);
  assert.equal((await seller.get('/api/v1/search?q=')).status, 400);
  assert.equal((await seller.get('/api/v1/search?q=x&types=deal')).status, 400);
});

test('duplicates: live warnings hide other people\'s data; merge keeps every phone, e-mail and the history', async () => {
  const a = (await seller.post('/api/v1/companies',
    { name: 'Мебель-Град', phones: ['+7 912 555-00-11'], emails: ['info@grad.ru'], tags: ['опт'] })).body;
  const b = (await seller.post('/api/v1/companies',
    { name: 'Мебель Град', phones: ['8 912 555 00 11', '+7 495 555-00-22'], emails: ['sales@grad.ru'] })).body;
  const foreign = (await seller2.post('/api/v1/companies', { name: 'Град-Чужой', phones: ['89125550011'] })).body;

  const check = await seller.post('/api/v1/duplicates/check', { phones: ['8 912 555-00-11'] });
  assert.equal(check.status, 200);
  const visible = check.body.items.filter((i) => i.visible);
  const hidden = check.body.items.filter((i) => !i.visible);
  assert.deepEqual(visible.map((i) => i.id).sort(), [a.id, b.id].sort());
  assert.equal(hidden.length, 1);
  assert.equal(hidden[0].id, undefined);
  assert.ok(hidden[0].owner_name.length > 0);

  const groups = await rop.get('/api/v1/duplicates?entity=company');
  assert.ok(groups.body.groups.some((g) => g.value === '+79125550011' && g.ids.includes(foreign.id)));

  assert.equal((await seller.post(`/api/v1/companies/${a.id}/merge`, { merged_id: foreign.id })).status, 422);
  assert.equal((await seller.post(`/api/v1/companies/${a.id}/merge`, { merged_id: a.id })).status, 422);
  const merged = await seller.post(`/api/v1/companies/${a.id}/merge`, { merged_id: b.id });
  assert.equal(merged.status, 200, merged.text);
  assert.deepEqual(merged.body.phones.map((p) => p.value).sort(), ['+74955550022', '+79125550011']);
  assert.deepEqual(merged.body.emails.map((p) => p.value).sort(), ['info@grad.ru', 'sales@grad.ru']);
  const gone = await seller.get(`/api/v1/companies/${b.id}`);
  assert.equal(gone.status, 200);
  assert.equal(gone.body.merged_into_id, a.id);
  const tl = await seller.get(`/api/v1/companies/${a.id}/timeline?limit=200`);
  const kinds = tl.body.items.map((i) => i.kind);
  assert.ok(kinds.includes('company.merge') && kinds.includes('company.merged_into'));
  assert.equal(kinds.filter((k) => k === 'company.create').length, 2, 'both creation rows stay in the history');
  assert.equal((await seller.post(`/api/v1/companies/${b.id}/restore`)).status, 403);
  assert.equal((await rop.post(`/api/v1/companies/${b.id}/restore`)).status, 409);
});

test('lists: keyset pages by name, filters validated, saved views personal or shared', async () => {
  for (const n of ['Ясень', 'Ольха', 'Бук']) await rop.post('/api/v1/companies', { name: n, tags: ['дерево'] });
  const seen = [];
  let cursor = null;
  do {
    const r = await rop.get(`/api/v1/companies?tag=${encodeURIComponent('дерево')}&sort=name&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200);
    seen.push(...r.body.items.map((c) => c.name));
    cursor = r.body.next_cursor;
  } while (cursor);
  assert.deepEqual(seen, ['Бук', 'Ольха', 'Ясень']);
  assert.equal((await rop.get('/api/v1/companies?sort=inn')).status, 400);
  assert.equal((await rop.get('/api/v1/companies?cursor=zz')).status, 400);
  assert.equal((await rop.get('/api/v1/companies?has_phone=maybe')).status, 400);

  const mine = await seller.post('/api/v1/saved-views',
    { entity: 'company', name: 'Мои оптовики', definition: { filters: { tag: 'опт' }, columns: ['name'] } });
  assert.equal(mine.status, 201, mine.text);
  assert.equal((await seller.post('/api/v1/saved-views', { entity: 'company', name: 'Всем', shared: true })).status, 403);
  const shared = await rop.post('/api/v1/saved-views', { entity: 'company', name: 'Должники', shared: true,
    definition: { filters: { payment_discipline: 'bad' }, columns: [] } });
  assert.equal(shared.status, 201);
  const views = (await seller.get('/api/v1/saved-views?entity=company')).body.items.map((v) => v.name).sort();
  assert.deepEqual(views, ['Должники', 'Мои оптовики']);
  assert.ok(!(await seller2.get('/api/v1/saved-views?entity=company')).body.items.some((v) => v.id === mine.body.id));
  assert.equal((await seller2.delete(`/api/v1/saved-views/${mine.body.id}`)).status, 404);
  assert.equal((await seller.delete(`/api/v1/saved-views/${mine.body.id}`)).status, 204);
});

test('the demo base: believable companies with valid INNs spread over sellers, duplicates waiting on the merge screen',
  async () => {
    const all = [];
    let cursor = null;
    do {
      const r = await admin.get(`/api/v1/companies?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      all.push(...r.body.items);
      cursor = r.body.next_cursor;
    } while (cursor);
    const demo = all.filter((c) => /квартал|гавань|Вольск|Кухонный двор/.test(c.name));
    assert.ok(demo.length >= 6, 'demo companies are seeded');
    assert.ok(new Set(all.map((c) => c.owner_user_id)).size >= 4, 'owners spread over the sellers');
    const groups = (await rop.get('/api/v1/duplicates?entity=company')).body.groups;
    assert.ok(groups.some((g) => g.match === 'phone' && g.value === '+74956102140'));
    assert.ok(groups.some((g) => g.match === 'inn'));
    const mine = (await seller.get('/api/v1/companies?limit=200')).body.items;
    assert.ok(mine.length > 0 && mine.length < all.length, 'a seller sees only their share');
  });

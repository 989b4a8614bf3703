-- Dedupe looks up open leads by INN on every intake item and import row that carries one; without this index
-- it scanned the whole leads table.
CREATE INDEX leads_inn_idx ON leads (workspace_id, inn) WHERE inn IS NOT NULL;

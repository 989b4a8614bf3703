-- Plans (issue 8): a quarter and its first month start on the same day, so "one plan per subject, metric and
-- period" must name the period's kind too; before, setting the April quarter's plan found and overwrote April's
-- month plan (and the unique index refused to keep both).
DROP INDEX sales_plans_subject_uq;
CREATE UNIQUE INDEX sales_plans_subject_uq
    ON sales_plans (workspace_id, period_kind, first_day, metric, COALESCE(department_id, 0), COALESCE(owner_user_id, 0));


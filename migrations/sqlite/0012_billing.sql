-- Reserved for the billing room; the helper that owns it replaces this placeholder.
SELECT 1;

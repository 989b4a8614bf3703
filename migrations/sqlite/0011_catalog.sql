-- Reserved for the catalog room; the helper that owns it replaces this placeholder.
SELECT 1;

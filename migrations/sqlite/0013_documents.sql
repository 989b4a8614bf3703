-- Reserved for the documents room; the helper that owns it replaces this placeholder.
SELECT 1;

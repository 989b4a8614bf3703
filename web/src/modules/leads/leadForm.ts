export interface LeadFormValues {
  title?: string;
  request_text?: string;
  contact_name?: string;
  company_name?: string;
  phone?: string;
  email?: string;
  inn?: string;
  campaign?: string;
}

/** Where the server's field names land in this form (phones[0] → phone, …). */
export function leadFormField(serverField: string): keyof LeadFormValues | null {
  const base = serverField.replace(/(\[\d+\]|[./]\d+)$/, '');
  switch (base) {
    case 'phones':
    case 'phone':
      return 'phone';
    case 'emails':
    case 'email':
      return 'email';
    case 'title':
    case 'request_text':
    case 'contact_name':
    case 'company_name':
    case 'inn':
    case 'campaign':
      return base;
    default:
      return null;
  }
}

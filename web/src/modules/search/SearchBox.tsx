import { useState } from 'react';
import { AutoComplete, Input } from 'antd';
import { SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { groupHits, hitLink, MIN_QUERY, useSearch } from './searchApi';

/** The header search: suggestions grouped by type as you type; Enter opens the results page. */
export function SearchBox({ width = 320 }: { width?: number | string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const search = useSearch(q, { limit: 8 });
  const groups = q.trim().length >= MIN_QUERY ? groupHits(search.data ?? []) : [];
  const options = groups.map((g) => ({
    label: t(`search.type.${g.type}`),
    options: g.hits.map((h) => ({
      value: hitLink(h),
      label: (
        <div data-testid="search-option">
          <div>{h.title}</div>
          {h.snippet && (
            <div
              style={{ fontSize: 12, opacity: 0.65, overflow: 'hidden', textOverflow: 'ellipsis' }}
            >
              {h.snippet}
            </div>
          )}
        </div>
      ),
    })),
  }));

  return (
    <AutoComplete
      style={{ width }}
      options={options}
      value={q}
      onChange={setQ}
      onSelect={(path: string) => {
        setQ('');
        navigate(path);
      }}
      popupMatchSelectWidth={360}
    >
      <Input
        allowClear
        data-testid="header-search"
        prefix={<SearchOutlined />}
        placeholder={t('search.placeholder')}
        aria-label={t('search.placeholder')}
        onPressEnter={(e) => {
          const value = e.currentTarget.value.trim();
          // With a suggestion highlighted, AutoComplete selects it; plain Enter opens all results.
          if (
            value.length >= MIN_QUERY &&
            !document.querySelector('.ant-select-item-option-active')
          )
            navigate(`/search?q=${encodeURIComponent(value)}`);
        }}
      />
    </AutoComplete>
  );
}

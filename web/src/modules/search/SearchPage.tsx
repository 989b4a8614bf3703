import { Alert, Card, Empty, Flex, Input, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { groupHits, hitLink, MIN_QUERY, useSearch } from './searchApi';

/** Everything that matched a search, grouped by companies, contacts and leads. */
export default function SearchPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const search = useSearch(q, { limit: 50, debounce: 0 });
  const groups = groupHits(search.data ?? []);
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
        {t('search.title')}
      </Typography.Title>
      <Input.Search
        key={q}
        defaultValue={q}
        allowClear
        enterButton
        data-testid="search-page-input"
        placeholder={t('search.placeholder')}
        onSearch={(value) => setParams(value ? { q: value } : {})}
      />
      {search.isError && <Alert type="error" showIcon message={errorMessage(search.error, t)} />}
      {q.trim().length < MIN_QUERY ? (
        <Empty description={t('search.tooShort')} />
      ) : search.isSuccess && groups.length === 0 ? (
        <Empty description={t('search.nothing', { q })} />
      ) : (
        groups.map((g) => (
          <Card
            key={g.type}
            size="small"
            title={`${t(`search.type.${g.type}`)} · ${g.hits.length}`}
            data-testid={`search-group-${g.type}`}
          >
            <List
              dataSource={g.hits}
              renderItem={(h) => (
                <List.Item>
                  <List.Item.Meta
                    title={<Link to={hitLink(h)}>{h.title}</Link>}
                    description={[h.snippet, h.owner?.name].filter(Boolean).join(' · ')}
                  />
                </List.Item>
              )}
            />
          </Card>
        ))
      )}
    </Flex>
  );
}

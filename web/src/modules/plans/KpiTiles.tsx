import { Card, Col, Row, Spin, Statistic, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatKpi } from './format';
import { useKpiCatalog, useKpis, type KpiParams } from './plansApi';

/** A row of KPI figures for a filter (dashboards): each tile names the KPI and says how it is counted. */
export default function KpiTiles({ params }: { params: KpiParams }) {
  const { i18n } = useTranslation();
  const catalog = useKpiCatalog();
  const kpis = useKpis(params);
  if (kpis.isLoading || catalog.isLoading) return <Spin />;
  return (
    <Row gutter={[12, 12]} data-testid="kpi-tiles">
      {(kpis.data?.items ?? []).map((v) => {
        const def = catalog.data?.items.find((d) => d.kpi === v.kpi);
        const en = i18n.language === 'en';
        return (
          <Col key={v.kpi} xs={12} md={8} lg={6}>
            <Card size="small">
              <Tooltip title={def ? (en ? def.formula_en : def.formula_ru) : undefined}>
                <Statistic
                  title={def ? (en ? def.name_en : def.name_ru) : v.kpi}
                  value={formatKpi(v.value, v.unit, i18n.language, kpis.data?.currency)}
                  valueStyle={{ fontSize: 20 }}
                />
              </Tooltip>
            </Card>
          </Col>
        );
      })}
    </Row>
  );
}

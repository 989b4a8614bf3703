import { useEffect, useMemo, useRef, useState, type HTMLAttributes } from 'react';
import {
  Alert,
  Breadcrumb,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Empty,
  Flex,
  Popconfirm,
  Row,
  Space,
  Spin,
  Table,
  Tag,
  Tree,
  Typography,
} from 'antd';
import {
  DeleteOutlined,
  DragOutlined,
  EditOutlined,
  PlusOutlined,
  RollbackOutlined,
  UserAddOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { AddEmployeeModal } from './AddEmployeeModal';
import { DepartmentModal } from './DepartmentModal';
import { MoveModal } from './MoveModal';
import { roleName } from './org';
import { orgApi, useOrgMutation, useRoles, type OrgMember } from './orgApi';
import { buildTree, dropParent, pathTo } from './tree';
import { useOrgData, type FlatDepartment, type PlacedMember } from './useOrgData';
import { useNotice } from './useRefusal';

type Dialog =
  | { kind: 'create'; parent: FlatDepartment | null }
  | { kind: 'edit'; department: FlatDepartment }
  | { kind: 'move'; department: FlatDepartment }
  | { kind: 'person'; department: FlatDepartment }
  | null;

/** The org chart: the department tree on the left, the chosen department on the right. */
export function StructureTab({ canManage }: { canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const notice = useNotice();
  const [params, setParams] = useSearchParams();
  const [showArchived, setShowArchived] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const { tree, departments, members } = useOrgData(showArchived);

  const selectedId = Number(params.get('dept')) || null;
  const selected = departments.find((d) => d.id === selectedId) ?? null;

  // Everything starts expanded; departments that appear later (just created) open too, and the
  // way down to the chosen one is always open. What the user folds stays folded.
  const [expanded, setExpanded] = useState<number[]>([]);
  const known = useRef(new Set<number>());
  useEffect(() => {
    const fresh = departments.filter((d) => !known.current.has(d.id)).map((d) => d.id);
    fresh.forEach((id) => known.current.add(id));
    const path = selectedId ? pathTo(departments, selectedId).map((d) => d.id) : [];
    setExpanded((prev) => {
      const next = new Set([...prev, ...fresh, ...path]);
      return next.size === prev.length ? prev : [...next];
    });
  }, [departments, selectedId]);

  const select = (id: number | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (id === null) next.delete('dept');
        else next.set('dept', String(id));
        return next;
      },
      { replace: true },
    );

  const refused = (error: unknown) => setRefusal(errorMessage(error, t));

  const move = useOrgMutation(
    ({ id, parent }: { id: number; parent: number | null }) => orgApi.moveDepartment(id, parent),
    {
      onSuccess: (moved) => {
        setRefusal(null);
        notice(t('org.tree.moved', { name: moved.name }));
      },
      onError: refused,
    },
  );

  const treeData = useMemo(
    () =>
      buildTree(departments, {
        showArchived,
        locale: i18n.language,
        title: (d) => (
          <span data-testid="dept-node" data-dept-id={d.id} data-dept-name={d.name}>
            {d.name}{' '}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {d.members.length}
            </Typography.Text>
            {d.archived && (
              <Tag style={{ marginLeft: 6 }} data-testid="dept-archived-tag">
                {t('org.tree.archivedTag')}
              </Tag>
            )}
          </span>
        ),
      }),
    [departments, showArchived, i18n.language, t],
  );

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={9}>
        <Card
          title={t('org.tree.title')}
          size="small"
          extra={
            canManage && (
              <Button
                size="small"
                icon={<PlusOutlined />}
                data-testid="dept-add-root"
                onClick={() => setDialog({ kind: 'create', parent: null })}
              >
                {t('org.tree.addRoot')}
              </Button>
            )
          }
          data-testid="org-tree-card"
        >
          <Flex vertical gap={8}>
            {canManage && (
              <Typography.Text type="secondary">
                <DragOutlined /> {t('org.tree.dragHint')}
              </Typography.Text>
            )}
            <Checkbox
              checked={showArchived}
              onChange={(e) => setShowArchived(e.target.checked)}
              data-testid="dept-show-archived"
            >
              {t('org.tree.showArchived')}
            </Checkbox>
            {refusal && (
              <Alert
                type="error"
                showIcon
                closable
                onClose={() => setRefusal(null)}
                message={<span data-testid="org-error">{refusal}</span>}
              />
            )}
            {tree.isError && <Alert type="error" showIcon message={errorMessage(tree.error, t)} />}
            {tree.isPending ? (
              <Spin />
            ) : treeData.length === 0 ? (
              <Empty description={t('org.tree.empty')} />
            ) : (
              <div style={{ overflowX: 'auto' }}>
                <Tree
                  data-testid="org-tree"
                  treeData={treeData}
                  expandedKeys={expanded}
                  onExpand={(keys) => setExpanded(keys.map(Number))}
                  showLine
                  blockNode
                  draggable={canManage && !move.isPending ? { icon: false } : false}
                  selectedKeys={selectedId ? [selectedId] : []}
                  onSelect={(keys) => keys.length > 0 && select(Number(keys[0]))}
                  onDrop={(info) => {
                    const parent = dropParent(
                      departments,
                      Number(info.dragNode.key),
                      Number(info.node.key),
                      info.dropToGap,
                    );
                    if (parent !== undefined) {
                      move.mutate({ id: Number(info.dragNode.key), parent });
                    }
                  }}
                />
              </div>
            )}
          </Flex>
        </Card>
      </Col>
      <Col xs={24} lg={15}>
        {selected ? (
          <DepartmentCard
            department={selected}
            departments={departments}
            members={members}
            canManage={canManage}
            onDialog={setDialog}
            onRefused={refused}
            onDone={() => setRefusal(null)}
          />
        ) : (
          <Card>
            <Empty description={t('org.dept.selectHint')} />
          </Card>
        )}
      </Col>

      {(dialog?.kind === 'create' || dialog?.kind === 'edit') && (
        <DepartmentModal
          open
          parent={dialog.kind === 'create' ? dialog.parent : null}
          department={dialog.kind === 'edit' ? dialog.department : null}
          members={members}
          onClose={() => setDialog(null)}
          onSaved={(saved) => dialog.kind === 'create' && select(saved.id)}
        />
      )}
      {dialog?.kind === 'move' && (
        <MoveModal
          department={dialog.department}
          departments={departments}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'person' && (
        <AddEmployeeModal
          department={dialog.department}
          departments={departments}
          members={members}
          onClose={() => setDialog(null)}
        />
      )}
    </Row>
  );
}

function DepartmentCard({
  department,
  departments,
  members,
  canManage,
  onDialog,
  onRefused,
  onDone,
}: {
  department: FlatDepartment;
  departments: readonly FlatDepartment[];
  members: Map<number, PlacedMember>;
  canManage: boolean;
  onDialog: (dialog: Dialog) => void;
  onRefused: (error: unknown) => void;
  onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const notice = useNotice();
  const [, setParams] = useSearchParams();
  const roles = useRoles(true);
  const roleById = new Map((roles.data ?? []).map((r) => [r.id, r]));
  const { division } = department;
  const head = department.head_user_id ? members.get(department.head_user_id) : undefined;

  const archive = useOrgMutation((id: number) => orgApi.archiveDepartment(id), {
    onSuccess: (d) => {
      onDone();
      notice(t('org.dept.archived', { name: d.name }));
    },
    onError: onRefused,
  });
  const restore = useOrgMutation((id: number) => orgApi.restoreDepartment(id), {
    onSuccess: () => {
      onDone();
      notice(t('org.dept.saved'));
    },
    onError: onRefused,
  });

  const openPerson = (userId: number) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      next.set('employee', String(userId));
      return next;
    });

  return (
    <Card
      data-testid="dept-card"
      data-dept-id={department.id}
      title={
        <Space wrap>
          <span data-testid="dept-title">{department.name}</span>
          {department.archived && <Tag>{t('org.tree.archivedTag')}</Tag>}
        </Space>
      }
    >
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={pathTo(departments, department.id).map((d) => ({ title: d.name }))}
      />
      {canManage && (
        <Flex wrap gap={8} style={{ marginBottom: 16 }}>
          {!department.archived && (
            <>
              <Button
                icon={<PlusOutlined />}
                data-testid="dept-add-team"
                onClick={() => onDialog({ kind: 'create', parent: department })}
              >
                {t('org.dept.addTeam')}
              </Button>
              <Button
                icon={<UserAddOutlined />}
                data-testid="dept-add-person"
                onClick={() => onDialog({ kind: 'person', department })}
              >
                {t('org.dept.addPerson')}
              </Button>
              <Button
                icon={<EditOutlined />}
                data-testid="dept-edit"
                onClick={() => onDialog({ kind: 'edit', department })}
              >
                {t('org.dept.edit')}
              </Button>
              <Button
                icon={<DragOutlined />}
                data-testid="dept-move"
                onClick={() => onDialog({ kind: 'move', department })}
              >
                {t('org.dept.move')}
              </Button>
              <Popconfirm
                title={t('org.dept.archiveConfirm', { name: department.name })}
                okText={t('org.dept.archive')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true, 'data-testid': 'dept-archive-confirm' } as never}
                onConfirm={() => archive.mutateAsync(department.id).catch(() => undefined)}
              >
                <Button danger icon={<DeleteOutlined />} data-testid="dept-archive">
                  {t('org.dept.archive')}
                </Button>
              </Popconfirm>
            </>
          )}
          {department.archived && (
            <Button
              icon={<RollbackOutlined />}
              data-testid="dept-restore"
              loading={restore.isPending}
              onClick={() => restore.mutate(department.id)}
            >
              {t('org.restore')}
            </Button>
          )}
        </Flex>
      )}
      <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('org.dept.principle')}>
          <span data-testid="dept-principle-value">
            {t(`org.dept.principles.${division.principle}`)}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('org.dept.head')}>
          {head ? (
            <Typography.Link onClick={() => openPerson(head.user_id)} data-testid="dept-head-value">
              {head.full_name}
            </Typography.Link>
          ) : (
            <Typography.Text type="secondary">{t('org.dept.noHead')}</Typography.Text>
          )}
        </Descriptions.Item>
        {division.principle === 'territory' && (
          <Descriptions.Item label={t('org.dept.regions')} span="filled">
            {(division.regions ?? []).map((r) => (
              <Tag key={r}>{r}</Tag>
            ))}
          </Descriptions.Item>
        )}
        {division.principle === 'product' && (
          <Descriptions.Item label={t('org.dept.productLines')} span="filled">
            {(division.lines ?? []).map((l) => (
              <Tag key={l}>{l}</Tag>
            ))}
          </Descriptions.Item>
        )}
        {division.principle === 'client_type' && division.client_type && (
          <Descriptions.Item label={t('org.dept.clientType')} span="filled">
            {t(`org.dept.clientTypes.${division.client_type}`)}
          </Descriptions.Item>
        )}
      </Descriptions>
      <Typography.Title level={5}>
        {t('org.dept.people')} · {department.members.length}
      </Typography.Title>
      <Table<OrgMember>
        data-testid="dept-people"
        rowKey="employee_id"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={department.members}
        locale={{ emptyText: t('org.dept.noPeople') }}
        onRow={(row) =>
          ({
            'data-testid': 'dept-person',
            'data-user-id': row.user_id,
          }) as HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            key: 'name',
            title: t('org.employee.fullName'),
            render: (_, row) => (
              <Space size={4} wrap>
                <Typography.Link onClick={() => openPerson(row.user_id)} data-testid="person-link">
                  {row.full_name}
                </Typography.Link>
                {row.is_head && <Tag color="gold">{t('org.dept.head')}</Tag>}
                {row.absent_today && <Tag color="orange">{t('org.absence.states.current')}</Tag>}
              </Space>
            ),
          },
          {
            key: 'role',
            title: t('org.employee.role'),
            render: (_, row) => {
              const role = roleById.get(row.role_id);
              return (
                <Space size={4}>
                  {role?.level && <Tag>{role.level}</Tag>}
                  {role ? roleName(role, i18n.language) : row.role_code}
                </Space>
              );
            },
          },
          { key: 'position', title: t('org.employee.position'), dataIndex: 'position_title' },
        ]}
      />
    </Card>
  );
}

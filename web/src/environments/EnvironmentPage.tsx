import { Group, Tabs, Text } from '@mantine/core';
import type { ComponentType } from 'react';
import { useParams, useSearchParams } from 'react-router';
import type { Environment } from '../api/types';
import { Page } from '../components/Page';
import { MissingPage, queryFallback } from '../components/QueryState';
import { ActivityTab } from './detail/ActivityTab';
import { CollaborationTab } from './detail/CollaborationTab';
import { DeployTab } from './detail/DeployTab';
import { ExecTab } from './detail/ExecTab';
import { LogsTab } from './detail/LogsTab';
import { OverviewTab } from './detail/OverviewTab';
import { VariablesTab } from './detail/VariablesTab';
import { EnvironmentActions } from './EnvironmentActions';
import { can } from './model';
import { OwnerTag } from './OwnerTag';
import { useEnvironment } from './queries';
import { StatusBadge } from './StatusBadge';
import { TransferPanel } from './transfer/TransferPanel';

interface Tab {
  value: string;
  label: string;
  Panel: ComponentType<{ env: Environment }>;
  /** Whether the caller's permissions (as the API reports them) open this tab. */
  shown: (env: Environment) => boolean;
}

const TABS: Tab[] = [
  { value: 'overview', label: 'Overview', Panel: OverviewTab, shown: () => true },
  { value: 'logs', label: 'Logs', Panel: LogsTab, shown: (env) => can(env, 'env.logs') },
  { value: 'variables', label: 'Variables', Panel: VariablesTab, shown: (env) => can(env, 'env.config') },
  { value: 'deploy', label: 'Deploy', Panel: DeployTab, shown: (env) => can(env, 'env.deploy') },
  { value: 'exec', label: 'Run a command', Panel: ExecTab, shown: (env) => can(env, 'env.exec') },
  { value: 'activity', label: 'Activity', Panel: ActivityTab, shown: () => true },
  { value: 'collaboration', label: 'Collaboration', Panel: CollaborationTab, shown: (env) => env.access === 'owner' || can(env, 'collaboration.manage') },
];

/** One environment: its status and actions, then a tab per thing the caller's permissions let it do. */
export function EnvironmentPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const env = useEnvironment(id);

  const fallback = queryFallback(
    env,
    'Loading the environment…',
    <MissingPage title="Environment not found" hint="No such environment, or it is not shared with you" back={{ to: '/environments', label: 'Back to environments' }}>
      It may have been deleted, or its owner may have stopped sharing it.
    </MissingPage>,
  );
  if (fallback || !env.data) return fallback;
  const data = env.data;
  const tabs = TABS.filter((tab) => tab.shown(data));
  const requested = params.get('tab');
  const current = tabs.find((tab) => tab.value === requested)?.value ?? 'overview';

  return (
    <Page
      title={data.displayName || data.name}
      parent={{ to: '/environments', label: 'Environments' }}
      description={
        <Group gap="xs" component="span">
          <StatusBadge env={data} />
          <Text span size="sm">
            {data.domain}
          </Text>
          {data.access !== 'owner' ? <OwnerTag owner={data.owner} /> : null}
          {data.statusReason ? (
            <Text span size="sm" c="red.9">
              {data.statusReason}
            </Text>
          ) : null}
        </Group>
      }
      actions={<EnvironmentActions env={data} size="sm" afterDelete="/environments" />}
    >
      {/* Only the owner gives an environment away (a manager gets 403 from the API, so it is never offered). */}
      {data.access === 'owner' && data.status !== 'deleting' ? <TransferPanel env={data} /> : null}
      <Tabs value={current} onChange={(value) => setParams(value && value !== 'overview' ? { tab: value } : {}, { replace: true })} keepMounted={false}>
        {/* On phones the tabs wrap onto a second row rather than hide the last ones off-screen. */}
        <Tabs.List>
          {tabs.map((tab) => (
            <Tabs.Tab key={tab.value} value={tab.value}>
              {tab.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {tabs.map(({ value, Panel }) => (
          <Tabs.Panel key={value} value={value} pt="md">
            <Panel env={data} />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Page>
  );
}

import { Anchor, Breadcrumbs, Group, Stack, Tabs, Text } from '@mantine/core';
import { Link, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../api/client';
import { EmptyHint, LoadError, Loading } from '../components/Feedback';
import { Page } from '../components/Page';
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

/** One environment: its status and actions, then a tab per thing the caller's permissions let it do. */
export function EnvironmentPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const env = useEnvironment(id);

  if (env.isPending) return <Loading label="Loading the environment…" />;
  if (env.isError) {
    if (isApiError(env.error, 404)) {
      return (
        <Page title="Environment not found">
          <EmptyHint title="No such environment, or it is not shared with you">
            It may have been deleted, or its owner may have stopped sharing it.{' '}
            <Anchor component={Link} to="/environments">
              Back to environments
            </Anchor>
          </EmptyHint>
        </Page>
      );
    }
    return <LoadError error={env.error} retry={() => void env.refetch()} />;
  }
  const data = env.data;
  const tabs = [
    { value: 'overview', label: 'Overview', show: true },
    { value: 'logs', label: 'Logs', show: can(data, 'env.logs') },
    { value: 'variables', label: 'Variables', show: can(data, 'env.config') },
    { value: 'deploy', label: 'Deploy', show: can(data, 'env.deploy') },
    { value: 'exec', label: 'Run a command', show: can(data, 'env.exec') },
    { value: 'collaboration', label: 'Collaboration', show: data.access === 'owner' || can(data, 'collaboration.manage') },
  ].filter((tab) => tab.show);
  const requested = params.get('tab');
  const tab = tabs.some((candidate) => candidate.value === requested) ? (requested as string) : 'overview';

  return (
    <Page
      title={data.displayName || data.name}
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
      <Stack gap="md">
        <Breadcrumbs>
          <Anchor component={Link} to="/environments" size="sm">
            Environments
          </Anchor>
          <Text size="sm">{data.name}</Text>
        </Breadcrumbs>
        <Tabs value={tab} onChange={(value) => setParams(value && value !== 'overview' ? { tab: value } : {}, { replace: true })} keepMounted={false}>
          <Tabs.List style={{ overflowX: 'auto', flexWrap: 'nowrap' }}>
            {tabs.map((candidate) => (
              <Tabs.Tab key={candidate.value} value={candidate.value}>
                {candidate.label}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          <Tabs.Panel value="overview" pt="md">
            <OverviewTab env={data} />
          </Tabs.Panel>
          <Tabs.Panel value="logs" pt="md">
            <LogsTab env={data} />
          </Tabs.Panel>
          <Tabs.Panel value="variables" pt="md">
            <VariablesTab env={data} />
          </Tabs.Panel>
          <Tabs.Panel value="deploy" pt="md">
            <DeployTab env={data} />
          </Tabs.Panel>
          <Tabs.Panel value="exec" pt="md">
            <ExecTab env={data} />
          </Tabs.Panel>
          <Tabs.Panel value="collaboration" pt="md">
            <CollaborationTab env={data} />
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </Page>
  );
}

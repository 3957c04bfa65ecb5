import * as vscode from 'vscode';
import type { PlanView, PlanViewMilestone, PlanViewRange, PlanViewStatus, PlanViewTask } from '../../../server/src/protocol/planView';
import type { PlanStore } from '../planStore';

// Plans → milestones → tasks (nested as in the file), all from the server's
// computed PlanView. Nodes are cached per plan version so `reveal` and
// selection survive refreshes.

export type PlanNode = PlanFileNode | MilestoneNode | TaskNode | LinkedFileNode;

/** A file a task's `links` match, listed under the task. */
export interface LinkedFileNode {
  kind: 'file';
  uri: vscode.Uri;
  file: vscode.Uri;
  parent: TaskNode;
}

const MAX_LINKED_FILES = 50;
const WEB_ADDRESS = /^[a-z][a-z0-9+.-]*:/i;

export interface PlanFileNode {
  kind: 'plan';
  uri: vscode.Uri;
}

export interface MilestoneNode {
  kind: 'milestone';
  uri: vscode.Uri;
  plan: PlanView;
  milestone: PlanViewMilestone;
  parent: PlanFileNode;
}

export interface TaskNode {
  kind: 'task';
  uri: vscode.Uri;
  plan: PlanView;
  task: PlanViewTask;
  milestone: PlanViewMilestone;
  parent: MilestoneNode | TaskNode;
}

export interface TreeFilter {
  owner?: string;
  statuses?: ReadonlySet<PlanViewStatus>;
  hideDone: boolean;
}

const STATUS_ICONS: Record<PlanViewStatus, string> = {
  planned: 'circle-large-outline',
  'in-progress': 'play-circle',
  blocked: 'circle-slash',
  done: 'pass',
  dropped: 'close',
};

export function isOverdue(plan: PlanView, item: { end: string; status: PlanViewStatus; due?: string }): boolean {
  if (item.status === 'done' || item.status === 'dropped') return false;
  return (item.due ?? item.end) < plan.asOf;
}

export class MilestoneTreeProvider implements vscode.TreeDataProvider<PlanNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<PlanNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private filter: TreeFilter = { hideDone: false };
  private planFiles: PlanFileNode[] | undefined;
  /** Nodes of each plan, rebuilt when its version changes. */
  private readonly nodes = new Map<string, { version: number; milestones: MilestoneNode[]; byId: Map<string, MilestoneNode | TaskNode> }>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** The last title seen for each plan: a plan being re-fetched keeps its row's label. */
  private readonly titles = new Map<string, string>();

  constructor(private readonly store: PlanStore) {
    this.disposables.push(
      store.onDidChangePlan((uri) => {
        if (uri === undefined) {
          this.planFiles = undefined;
          this.changed.fire(undefined);
          return;
        }
        const row = this.planFiles?.find((node) => node.uri.toString() === uri);
        // Fetch first, so the row is redrawn with the plan's current title.
        void this.store.get(uri).then(() => this.changed.fire(row));
      }),
    );
  }

  getFilter(): TreeFilter {
    return this.filter;
  }

  setFilter(filter: TreeFilter): void {
    this.filter = filter;
    this.changed.fire(undefined);
  }

  refresh(): void {
    this.planFiles = undefined;
    this.changed.fire(undefined);
  }

  async getChildren(element?: PlanNode): Promise<PlanNode[]> {
    if (!element) {
      const files = await this.getPlanFiles();
      // Fetch the plans first so each row can show its plan's title.
      await Promise.all(files.map((file) => this.store.get(file.uri.toString())));
      return files;
    }
    if (element.kind === 'plan') {
      const entry = await this.nodesOf(element);
      return entry ? entry.milestones.filter((node) => this.shows(node)) : [];
    }
    if (element.kind === 'file') return [];
    const tasks = element.kind === 'milestone' ? element.milestone.tasks : element.task.tasks;
    const entry = this.nodes.get(element.uri.toString());
    const children: PlanNode[] = tasks.map((task) => entry?.byId.get(task.id)).filter((node): node is TaskNode => node?.kind === 'task' && this.shows(node));
    if (element.kind === 'task') children.push(...(await this.linkedFiles(element)));
    return children;
  }

  /** The files a task's links match (paths and globs, relative to the plan's workspace folder). */
  private async linkedFiles(node: TaskNode): Promise<LinkedFileNode[]> {
    const folder = vscode.workspace.getWorkspaceFolder(node.uri);
    const links = node.task.links.filter((link) => !WEB_ADDRESS.test(link) && !link.split('/').includes('..'));
    if (!folder || links.length === 0) return [];
    const files = new Map<string, vscode.Uri>();
    for (const link of links) {
      const normalized = link.replace(/^\.\//, '').replace(/\/+$/, '');
      const isGlob = /[*?[\]{}]/.test(normalized);
      const patterns = isGlob ? [normalized] : [normalized, `${normalized}/**`];
      for (const pattern of patterns) {
        for (const file of await vscode.workspace.findFiles(new vscode.RelativePattern(folder, pattern), '**/node_modules/**', MAX_LINKED_FILES)) {
          files.set(file.toString(), file);
        }
      }
    }
    return [...files.values()]
      .sort((a, b) => a.path.localeCompare(b.path))
      .slice(0, MAX_LINKED_FILES)
      .map((file) => ({ kind: 'file', uri: node.uri, file, parent: node }));
  }

  getParent(element: PlanNode): PlanNode | undefined {
    return element.kind === 'plan' ? undefined : element.parent;
  }

  getTreeItem(element: PlanNode): vscode.TreeItem {
    if (element.kind === 'file') {
      const item = new vscode.TreeItem(element.file, vscode.TreeItemCollapsibleState.None);
      item.id = `${element.uri.toString()}#file:${element.parent.task.id}:${element.file.toString()}`;
      item.description = vscode.workspace.asRelativePath(element.file);
      item.tooltip = `Linked from task ${element.parent.task.id}`;
      item.contextValue = 'linkedFile';
      item.command = { command: 'vscode.open', title: 'Open file', arguments: [element.file] };
      return item;
    }
    if (element.kind === 'plan') {
      const plan = this.store.peek(element.uri.toString());
      if (plan?.title) this.titles.set(element.uri.toString(), plan.title);
      const title = plan?.title ?? this.titles.get(element.uri.toString());
      const item = new vscode.TreeItem(title ?? vscode.workspace.asRelativePath(element.uri), vscode.TreeItemCollapsibleState.Expanded);
      item.id = element.uri.toString();
      item.resourceUri = element.uri;
      item.description = vscode.workspace.asRelativePath(element.uri);
      item.iconPath = new vscode.ThemeIcon('checklist');
      item.contextValue = 'plan';
      if (plan === null) item.tooltip = 'Not readable as a plan: open it to see why.';
      item.command = { command: 'vscode.open', title: 'Open plan', arguments: [element.uri] };
      return item;
    }
    const plan = element.plan;
    const entity = element.kind === 'milestone' ? element.milestone : element.task;
    const children = entity.tasks.length;
    const hasLinks = element.kind === 'task' && element.task.links.some((link) => !WEB_ADDRESS.test(link));
    const collapsible = children > 0 ? vscode.TreeItemCollapsibleState.Expanded : hasLinks ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(entity.title ?? entity.id, collapsible);
    item.id = `${element.uri.toString()}#${element.kind}:${entity.id}`;
    const overdue = isOverdue(plan, element.kind === 'milestone' ? element.milestone : element.task);
    const critical = element.kind === 'task' && element.task.critical && element.task.status !== 'done' && element.task.status !== 'dropped';
    const flags = [overdue ? 'overdue' : undefined, entity.status === 'blocked' ? 'blocked' : undefined, critical ? 'critical' : undefined].filter(Boolean);
    const dates = `${entity.start.slice(5)} → ${entity.end.slice(5)}`;
    item.description = [entity.owner, dates, ...flags].filter(Boolean).join(' · ');
    const colour = overdue ? 'charts.red' : entity.status === 'blocked' ? 'charts.orange' : critical ? 'charts.yellow' : entity.status === 'done' ? 'charts.green' : undefined;
    item.iconPath = new vscode.ThemeIcon(element.kind === 'milestone' ? 'milestone' : STATUS_ICONS[entity.status], colour ? new vscode.ThemeColor(colour) : undefined);
    item.tooltip = this.tooltip(element);
    item.contextValue = element.kind;
    item.accessibilityInformation = { label: `${element.kind} ${entity.id}, ${entity.title ?? ''}, ${entity.status}, ${entity.progress}%${flags.length ? `, ${flags.join(', ')}` : ''}` };
    item.command = { command: 'blueprint.revealInSource', title: 'Reveal in editor', arguments: [element.uri, entity.selectionRange] };
    return item;
  }

  /** The deepest node whose source range contains the position, for following the cursor. */
  async findNodeAt(uri: vscode.Uri, position: vscode.Position): Promise<MilestoneNode | TaskNode | undefined> {
    const file = (await this.getPlanFiles()).find((node) => node.uri.toString() === uri.toString());
    if (!file) return undefined;
    const entry = await this.nodesOf(file);
    if (!entry) return undefined;
    let best: MilestoneNode | TaskNode | undefined;
    for (const node of entry.byId.values()) {
      const range = node.kind === 'milestone' ? node.milestone.range : node.task.range;
      if (contains(range, position) && (!best || contains(best.kind === 'milestone' ? best.milestone.range : best.task.range, range.start))) best = node;
    }
    return best && this.shows(best) ? best : undefined;
  }

  async findNodeById(uri: vscode.Uri, id: string): Promise<MilestoneNode | TaskNode | undefined> {
    const file = (await this.getPlanFiles()).find((node) => node.uri.toString() === uri.toString());
    const entry = file ? await this.nodesOf(file) : undefined;
    return entry?.byId.get(id);
  }

  /** Every owner named in the plans shown, for the owner filter. */
  async owners(): Promise<string[]> {
    const owners = new Set<string>();
    for (const file of await this.getPlanFiles()) {
      const entry = await this.nodesOf(file);
      for (const node of entry?.byId.values() ?? []) {
        const owner = node.kind === 'milestone' ? node.milestone.owner : node.task.owner;
        if (owner) owners.add(owner);
      }
    }
    return [...owners].sort();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  private async getPlanFiles(): Promise<PlanFileNode[]> {
    if (!this.planFiles) {
      const uris = await vscode.workspace.findFiles('**/*.plan.{yaml,yml}', '**/{node_modules,.git}/**');
      this.planFiles = uris.sort((a, b) => a.path.localeCompare(b.path)).map((uri) => ({ kind: 'plan', uri }));
    }
    return this.planFiles;
  }

  private async nodesOf(file: PlanFileNode) {
    const plan = await this.store.get(file.uri.toString());
    if (!plan) return undefined;
    if (plan.title) this.titles.set(file.uri.toString(), plan.title);
    const cached = this.nodes.get(file.uri.toString());
    if (cached && cached.version === plan.version) return cached;
    const byId = new Map<string, MilestoneNode | TaskNode>();
    const addTasks = (tasks: PlanViewTask[], milestone: PlanViewMilestone, parent: MilestoneNode | TaskNode) => {
      for (const task of tasks) {
        const node: TaskNode = { kind: 'task', uri: file.uri, plan, task, milestone, parent };
        if (!byId.has(task.id)) byId.set(task.id, node);
        addTasks(task.tasks, milestone, node);
      }
    };
    const milestones = plan.milestones.map((milestone) => {
      const node: MilestoneNode = { kind: 'milestone', uri: file.uri, plan, milestone, parent: file };
      if (!byId.has(milestone.id)) byId.set(milestone.id, node);
      addTasks(milestone.tasks, milestone, node);
      return node;
    });
    const entry = { version: plan.version, milestones, byId };
    this.nodes.set(file.uri.toString(), entry);
    return entry;
  }

  /** Whether a node passes the filters: itself, or any task below it. */
  private shows(node: MilestoneNode | TaskNode): boolean {
    const { owner, statuses, hideDone } = this.filter;
    if (!owner && !statuses && !hideDone) return true;
    const matches = (task: PlanViewTask): boolean => {
      const own = (!owner || task.owner === owner) && (!statuses || statuses.has(task.status)) && !(hideDone && task.status === 'done');
      return own || task.tasks.some(matches);
    };
    if (node.kind === 'task') return matches(node.task);
    if (hideDone && node.milestone.status === 'done') return false;
    return node.milestone.tasks.some(matches);
  }

  private tooltip(node: MilestoneNode | TaskNode): vscode.MarkdownString {
    const entity = node.kind === 'milestone' ? node.milestone : node.task;
    const markdown = new vscode.MarkdownString(undefined, true);
    markdown.appendMarkdown(`**${escapeMarkdown(entity.title ?? entity.id)}**  \n`);
    markdown.appendMarkdown(`\`${escapeMarkdown(entity.id)}\` · ${entity.status} · ${entity.progress}% done  \n`);
    markdown.appendMarkdown(`${entity.start} → ${entity.end}`);
    if (node.kind === 'milestone' && node.milestone.due) markdown.appendMarkdown(` (due ${node.milestone.due})`);
    markdown.appendMarkdown('  \n');
    if (node.kind === 'task') markdown.appendMarkdown(node.task.critical ? 'On the critical path  \n' : `Slack: ${node.task.slack} working day${node.task.slack === 1 ? '' : 's'}  \n`);
    const problems = vscode.languages
      .getDiagnostics(node.uri)
      .filter((diagnostic) => diagnostic.source === 'blueprint' && contains(entity.range, diagnostic.range.start));
    if (problems.length > 0) {
      markdown.appendMarkdown(`\n${problems.length} problem${problems.length === 1 ? '' : 's'}:\n`);
      for (const problem of problems.slice(0, 5)) markdown.appendMarkdown(`- ${escapeMarkdown(problem.message)}\n`);
    }
    return markdown;
  }
}

function contains(range: PlanViewRange, position: { line: number; character: number }): boolean {
  const after = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const before = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return after && before;
}

/** Plan text is user input: make it inert Markdown. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (character) => `\\${character}`);
}

// The page shown before a tool is picked: what this is, the three tasks
// people come for most, and what the buttons of a form do.

const TASKS = [
  {
    id: 'thrive_search_users',
    title: 'Find people',
    text: 'Look people up by name, email, status or when they last changed. Only reads.',
  },
  {
    id: 'thrive_create_user',
    title: 'Add a new person',
    text: 'Create an account for a joiner: their reference, name and email.',
  },
  {
    id: 'thrive_add_audience_members',
    title: 'Put people in an audience',
    text: 'Add people to a team or group, so they get its learning and assignments.',
  },
];

export default function Home({ manifests, config, onSelect }) {
  const known = new Set(manifests.map((m) => m.id));
  const tasks = TASKS.filter((t) => known.has(t.id));
  return (
    <section className="home" data-testid="home">
      <h1>Try Thrive Learning tasks without writing code</h1>
      <p>
        Each entry on the left is one task in Thrive Learning (finding people, adding them to audiences, assigning
        learning, recording completions, and so on), the same step a workflow tool would run. Pick one, fill in its
        form and run it against your Thrive tenant
        {config.defaultConnection ? ` (this server is connected to tenant ${config.tenantId})` : ''}.
      </p>
      <h2>Start with one of these</h2>
      <div className="tasks">
        {tasks.map((t) => (
          <button key={t.id} type="button" className="task" data-testid={`task-${t.id}`} onClick={() => onSelect(t.id)}>
            <strong>{t.title}</strong>
            <span>{t.text}</span>
          </button>
        ))}
      </div>
      <h2>How a form works</h2>
      <ul className="how">
        <li>
          <strong>Validate</strong> checks what you filled in; nothing is sent to Thrive.
        </li>
        <li>
          <strong>Dry run</strong> shows the exact request that would be sent (the key hidden); nothing is sent.
        </li>
        <li>
          <strong>Run</strong> sends it. Tasks marked <span className="badge read">read</span> only look;{' '}
          <span className="badge change">changes</span> create or update; <span className="badge danger">deletes</span>{' '}
          remove or replace data, so try a dry run first.
        </li>
      </ul>
    </section>
  );
}

// Package store persists toscaflow in SQLite (github.com/mattn/go-sqlite3, WAL, a busy timeout,
// foreign keys on): the BPMN engine's instances and indexes, the journal, the outbox and inbox that
// link the engine to the service bus, and the deployments layer (deployments, templates, process
// definitions, resources, log lines). Migrations are embedded and applied in order at Open.
//
// # Engine steps
//
// Store implements engine.Store. An instance is a JSON document with a version column: Commit
// writes it only if the version is still the one the step loaded, else ErrConflict and the engine
// runs the step again. One Commit is one SQLite transaction holding the instance states, the
// journal events, the timer, subscription and buffered-message changes and one outbox row per
// command the step emitted, so a crash never separates a state from the commands it waits for.
//
// # Outbox and relay
//
// A Relay publishes the pending outbox rows, oldest first, and marks a row sent only after its
// publish succeeded: delivery is at least once, and the command id (the engine's job id) is the
// idempotency key connectors deduplicate on. Run marks on a goroutine of its own and goes on with the
// rows committed after those it published, so that commands do not wait for a write transaction.
// While Run runs, each write transaction hands it the outbox rows it inserted as it commits (in commit
// order, in the writer's turn; a rollback hands nothing), and Run publishes them from memory; it reads
// the table at start, after a gap in the seqs it was handed (another process's commit, or a backlog it
// dropped), after a failed publish, on Wake and every Poll. A row it holds whose instance a later
// commit ended or purged is not published (it is marked sent), which spares the publisher a read
// (OutboxRow.Live). A bus that holds messages only in memory loses them when the process dies after the relay marked them
// sent: Requeue, called at start, makes the rows still awaited pending again (no reply in the inbox,
// and their instance active or, for a command of the orchestrator's own, none). PruneOutbox and
// PruneInbox keep both tables small.
//
// # Inbox: a reply applied once
//
// The engine applies a reply through CompleteTask or FailTask, which call the store's Load and
// Commit; the engine has no notion of an outer transaction. The store gives it one through the
// context: InTx (and ApplyOnce, built on it) begins a transaction and puts it in the context it
// passes on; every Store method called with that context joins the transaction, a write as a
// savepoint. So
//
//	applied, err := st.ApplyOnce(ctx, reply.CommandID, func(ctx context.Context) error {
//		return eng.CompleteTask(ctx, reply.CommandID, reply.Outputs)
//	})
//
// records the command id in the inbox and commits the engine step in one transaction: a duplicate
// delivery finds the id and changes nothing. An engine step that loses an optimistic race inside
// the transaction rolls back its savepoint only, and the engine's retry runs in the same
// transaction. The engine hands commands to its Dispatcher right after Commit returns, which inside
// InTx is before the transaction is durable: an engine working inside InTx should have no
// Dispatcher that sends commands; the commit itself hands the rows to the relay.
//
// # Concurrency
//
// Writes run on one writer connection, in BEGIN IMMEDIATE transactions (retried when another
// process holds the lock past the busy timeout), taken in arrival order; reads run on a pool of
// read-only connections in parallel with the writer, or on the caller's transaction inside InTx.
// An instance's scopes are rows of their own (instance_scopes), so that a step writes the scopes it
// changed and the small rest of the state (engine.EncodeInstance), not a plan's whole state. Each
// write gives the instance's row a new random nonce: Load reads the nonce every time and reads and
// decodes the state only when this store did not decode or commit that very row before (a bounded
// cache, Options.InstanceCache).
//
// # Deployments
//
// The deployments layer of the processes package has its tables here too, so that a deployment
// and its process instance change in one transaction: deployments (status, owner, provider,
// parameters and outputs as JSON, a version for optimistic updates), their templates, their BPMN
// process definitions (deploy, undeploy, update; each bound to the instance that runs it),
// resources (one per node instance, in topological order) and log lines. Listings page the way
// the API does (Page, Paged). Every time the store writes comes from the injected clock.
package store

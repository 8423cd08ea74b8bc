package processes

// Deployment statuses (API.md, Enumerations).
const (
	StatusCreateInProgress = "CREATE_IN_PROGRESS"
	StatusCreateComplete   = "CREATE_COMPLETE"
	StatusCreateFailed     = "CREATE_FAILED"
	StatusUpdateInProgress = "UPDATE_IN_PROGRESS"
	StatusUpdateComplete   = "UPDATE_COMPLETE"
	StatusUpdateFailed     = "UPDATE_FAILED"
	StatusDeleteInProgress = "DELETE_IN_PROGRESS"
	StatusDeleteComplete   = "DELETE_COMPLETE"
	StatusDeleteFailed     = "DELETE_FAILED"
)

// Resource states (API.md, Enumerations).
const (
	StateInitial     = "INITIAL"
	StateCreating    = "CREATING"
	StateCreated     = "CREATED"
	StateConfiguring = "CONFIGURING"
	StateConfigured  = "CONFIGURED"
	StateStarting    = "STARTING"
	StateStarted     = "STARTED"
	StateStopping    = "STOPPING"
	StateStopped     = "STOPPED"
	StateDeleting    = "DELETING"
	StateError       = "ERROR"
)

// TaskNone is the deployment's task while the orchestrator itself works on it.
const TaskNone = "NONE"

package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/region-jh/gns/domain"
	"github.com/region-jh/gns/store"
	"github.com/region-jh/gns/sv"
)

// Job is work GNS does on a schedule: a digest, a reminder. Give the jobs to
// New (Options.Jobs; gns serve takes them from app.Jobs, where an area adds
// its own). Every gns serve runs the queue, SMTP configured or not (without
// SMTP the mails a job keeps are shown under Utskick); River's elected
// leader puts each job on the queue when it is due and once at start, and
// one instance runs it.
//
// Run is called at most once per period (the latest due time), in one
// transaction that also records the period as done (store.Conn.Once): if Run
// fails, nothing it did is kept and River tries again later; if two
// instances start the same period, the second finds it done. A server that
// was down when a job was due runs it when it starts. Run takes "now" from
// c.Now(); a job that acts on events (a reminder per meeting) should also
// guard each event with c.Once, so that catching up never sends twice.
type Job struct {
	// Name identifies the job, e.g. "assignment-digest"; unique among the
	// jobs.
	Name string
	// When the job is due: Daily, Weekly or Every.
	Schedule Schedule
	Run      func(ctx context.Context, c *store.Conn) error
}

// Schedule says when a job is due.
type Schedule interface {
	// Last is the latest due time at or before t.
	Last(t time.Time) time.Time
	// Next is the first due time after t.
	Next(t time.Time) time.Time
}

// Daily is due every day at the hour, Swedish time.
func Daily(hour int) Schedule { return clockSchedule{hour: hour, weekday: -1} }

// Weekly is due every week on the day at the hour, Swedish time.
func Weekly(day time.Weekday, hour int) Schedule { return clockSchedule{hour: hour, weekday: day} }

// Every is due every d, counted from the Unix epoch (for tests and for work
// done often, such as telling members of a changed kallelse); d at most a
// week, like every schedule (a run is remembered 35 days).
func Every(d time.Duration) Schedule { return every(d) }

type clockSchedule struct {
	hour    int
	weekday time.Weekday // -1: every day
}

func (s clockSchedule) Last(t time.Time) time.Time {
	t = t.In(sv.Location())
	due := time.Date(t.Year(), t.Month(), t.Day(), s.hour, 0, 0, 0, sv.Location())
	for due.After(t) || (s.weekday >= 0 && due.Weekday() != s.weekday) {
		due = time.Date(due.Year(), due.Month(), due.Day()-1, s.hour, 0, 0, 0, sv.Location())
	}
	return due
}

func (s clockSchedule) Next(t time.Time) time.Time {
	due := s.Last(t)
	days := 1
	if s.weekday >= 0 {
		days = 7
	}
	return time.Date(due.Year(), due.Month(), due.Day()+days, s.hour, 0, 0, 0, sv.Location())
}

type every time.Duration

func (d every) Last(t time.Time) time.Time { return t.Truncate(time.Duration(d)) }
func (d every) Next(t time.Time) time.Time { return d.Last(t).Add(time.Duration(d)) }

// periodicQueue is River's queue for the jobs.
const periodicQueue = "periodic"

// PeriodicArgs is one due run of a Job.
type PeriodicArgs struct {
	Job string    `json:"job"`
	Due time.Time `json:"due"`
}

// Kind names the job for River.
func (PeriodicArgs) Kind() string { return "gns_periodic" }

// InsertOpts puts the run on the periodic queue, once per job and due time.
func (PeriodicArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: periodicQueue, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// onceKey is the done_once key of a job's run for one period.
func (a PeriodicArgs) onceKey() string {
	return "job:" + a.Job + ":" + a.Due.UTC().Format(time.RFC3339)
}

// riverSchedule adapts a Schedule to River.
type riverSchedule struct{ Schedule }

// periodicJobs are the River periodic jobs for jobs, checked: each has a
// name, a schedule and work, and no two share a name.
func periodicJobs(jobs []Job) (map[string]Job, []*river.PeriodicJob, error) {
	byName := make(map[string]Job, len(jobs))
	var out []*river.PeriodicJob
	for _, j := range jobs {
		if j.Name == "" || j.Schedule == nil || j.Run == nil {
			return nil, nil, fmt.Errorf("periodic job %q: a job needs a name, a schedule and work", j.Name)
		}
		if now := time.Now(); j.Schedule.Next(now).Sub(j.Schedule.Last(now)) > 8*24*time.Hour {
			return nil, nil, fmt.Errorf("periodic job %q: a schedule may be at most weekly", j.Name)
		}
		if _, dup := byName[j.Name]; dup {
			return nil, nil, fmt.Errorf("periodic job %q given twice", j.Name)
		}
		byName[j.Name] = j
		out = append(out, river.NewPeriodicJob(riverSchedule{j.Schedule}, func() (river.JobArgs, *river.InsertOpts) {
			return PeriodicArgs{Job: j.Name, Due: j.Schedule.Last(time.Now()).UTC()}, nil
		}, &river.PeriodicJobOpts{ID: j.Name, RunOnStart: true}))
	}
	return byName, out, nil
}

// forgetAfterDays is how long a periodic job's run is remembered: well past
// the longest period (a week), so no catching up can run it again.
const forgetAfterDays = 35

// periodicWorker runs one due Job, once per period.
type periodicWorker struct {
	river.WorkerDefaults[PeriodicArgs]
	db   *store.DB
	jobs map[string]Job
}

func (w *periodicWorker) Work(ctx context.Context, job *river.Job[PeriodicArgs]) error {
	j, ok := w.jobs[job.Args.Job]
	if !ok {
		return river.JobCancel(fmt.Errorf("no periodic job %q in this version", job.Args.Job))
	}
	ctx = domain.WithActor(ctx, domain.Actor{Label: "system (" + j.Name + ")"})
	return w.db.InTx(ctx, func(c *store.Conn) error {
		first, err := c.Once(ctx, job.Args.onceKey())
		if err != nil || !first {
			return err
		}
		if err := j.Run(ctx, c); err != nil {
			return fmt.Errorf("periodic job %s: %w", j.Name, err)
		}
		// Runs of past periods (longer ago than a week, the longest
		// schedule) can never be due again: their keys go.
		return c.ForgetDone(ctx, "job:"+j.Name+":", c.Now().AddDate(0, 0, -forgetAfterDays))
	})
}

package io.drover.workers.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drover.persistence.job.JobStore;
import java.util.LinkedHashMap;
import java.util.Map;

/** Task templates by job id, read from the database once per job while it runs. */
public final class TaskTemplates {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final int CACHED_JOBS = 256;

    private final JobStore jobs;
    private final Map<Long, TaskTemplate> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, TaskTemplate> eldest) {
            return size() > CACHED_JOBS;
        }
    };

    public TaskTemplates(JobStore jobs) {
        this.jobs = jobs;
    }

    public TaskTemplate of(long jobId) {
        synchronized (cache) {
            TaskTemplate cached = cache.get(jobId);
            if (cached != null) {
                return cached;
            }
        }
        String json = jobs.taskJson(jobId).orElseThrow(() -> new IllegalStateException("job " + jobId + " does not exist"));
        TaskTemplate template = parse(json);
        synchronized (cache) {
            cache.put(jobId, template);
        }
        return template;
    }

    public static TaskTemplate parse(String json) {
        try {
            return JSON.readValue(json, TaskTemplate.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored task template is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    public static String toJson(TaskTemplate template) {
        try {
            return JSON.writeValueAsString(template);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

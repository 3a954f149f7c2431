CREATE TABLE agent_certificates (
    serial    VARCHAR(64) PRIMARY KEY,            -- hex, as agents.cert_serial
    agent_id  UUID NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
    not_after TIMESTAMPTZ NOT NULL,
    issued_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    renewal   BOOLEAN NOT NULL DEFAULT false        -- false: issued at enrolment
);
CREATE INDEX idx_agent_certificates_agent ON agent_certificates (agent_id, issued_at);

INSERT INTO agent_certificates (serial, agent_id, not_after, issued_at)
SELECT cert_serial, id, cert_not_after, enrolled_at FROM agents
ON CONFLICT (serial) DO NOTHING;

CREATE FUNCTION outpost_record_agent_certificate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.cert_serial = NEW.cert_serial THEN
        RETURN NULL;
    END IF;
    INSERT INTO agent_certificates (serial, agent_id, not_after, renewal)
    VALUES (NEW.cert_serial, NEW.id, NEW.cert_not_after, TG_OP = 'UPDATE')
    ON CONFLICT (serial) DO NOTHING;
    RETURN NULL;
END;
$$;

CREATE TRIGGER trg_agents_record_certificate AFTER INSERT OR UPDATE OF cert_serial ON agents
    FOR EACH ROW EXECUTE FUNCTION outpost_record_agent_certificate();
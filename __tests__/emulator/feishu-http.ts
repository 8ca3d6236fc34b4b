// A bare HTTP client for emulator tests: sends exactly what a test says, with a bearer token, and returns the
// raw status, JSON body and headers (no SDK in between, so the emulator's own answers are what the test sees).
export interface Answer {
  status: number
  body: Record<string, any>
  headers: Headers
}

export class FeishuHttp {
  constructor(
    readonly base: string,
    public token: string,
  ) {}

  async send(method: string, path: string, body?: unknown): Promise<Answer> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: res.status, body: (await res.json()) as Record<string, any>, headers: res.headers }
  }
}

/**
 * The GitHub Actions workflow: the one text `init` writes, the README shows and
 * examples/github-actions/ppio-deploy.yaml holds (a test keeps the three identical).
 */
/** The steps both jobs start with, after the checkout. */
const INSTALL_AND_VALIDATE = `      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - name: Install ppio-deploy
        run: |
          npm ci --no-audit --no-fund
          echo "$PWD/node_modules/.bin" >> "$GITHUB_PATH"

      - name: Validate
        run: ppio-deploy validate --format github
`;

export const GITHUB_WORKFLOW = `# ppio-deploy: validate and plan on pull requests, apply on merge to main.
# Written by \`ppio-deploy init\`; the README's "GitOps on GitHub Actions" explains each part.
#
# ppio-deploy is a devDependency of this repository (see the README's "Install"), so \`npm ci\`
# installs exactly the version package-lock.json pins; nothing is fetched by name.
# Secrets: the API key under the name in \`apiKeyEnv\` below (PPIO_API_KEY by default), and
# every variable your specs read with \${env:NAME} (add them to the Plan and Apply steps).
name: ppio-deploy

on:
  pull_request:
    paths: ["endpoints/**", "ppio.config.*", "*.lock.json", "package-lock.json", ".github/workflows/ppio-deploy.yaml"]
  push:
    branches: [main]
    paths: ["endpoints/**", "ppio.config.*", "*.lock.json", "package-lock.json", ".github/workflows/ppio-deploy.yaml"]

jobs:
  plan:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write
    strategy:
      fail-fast: false
      matrix:
        # One entry per environment of ppio.config.yaml, the same list as the apply job's.
        # Without \`environments:\` keep the single entry with environment "". With them, e.g.:
        #   - {environment: staging, apiKeyEnv: PPIO_API_KEY_STAGING}
        #   - {environment: prod, apiKeyEnv: PPIO_API_KEY_PROD}
        include:
          - environment: ""
            apiKeyEnv: PPIO_API_KEY
    env:
      PPIO_ENV: \${{ matrix.environment }}
    steps:
      - uses: actions/checkout@v4
${INSTALL_AND_VALIDATE}
      - name: Plan
        id: plan
        if: always()
        env:
          PPIO_DEPLOY_KEY: \${{ secrets[matrix.apiKeyEnv] }}
          PPIO_DEPLOY_KEY_ENV: \${{ matrix.apiKeyEnv }}
        # Exit code 0: no changes, 2: changes, 1: the plan failed (its error replaces the comment).
        run: |
          export "$PPIO_DEPLOY_KEY_ENV=$PPIO_DEPLOY_KEY"
          set +e
          ppio-deploy plan --format markdown --detailed-exitcode > plan.md 2> plan-error.txt
          code=$?
          set -e
          cat plan-error.txt >&2
          echo "exitcode=$code" >> "$GITHUB_OUTPUT"

      - name: Write the plan comment
        id: comment
        if: always()
        env:
          PLAN_EXIT: \${{ steps.plan.outputs.exitcode }}
        run: |
          {
            echo "<!-- ppio-deploy-plan:\${PPIO_ENV:-default} -->"
            if [ "$PLAN_EXIT" = 0 ] || [ "$PLAN_EXIT" = 2 ]; then
              cat plan.md
            else
              echo "### ppio-deploy plan\${PPIO_ENV:+ for $PPIO_ENV} failed"
              echo
              echo "No plan could be computed for this commit; fix the error below and push again."
              echo
              echo '\`\`\`'
              cat plan-error.txt 2> /dev/null || echo "(the plan did not run: see the job log)"
              echo '\`\`\`'
            fi
          } > comment.md
          if [ "$PLAN_EXIT" != 0 ] && [ "$PLAN_EXIT" != 2 ]; then cat comment.md >> "$GITHUB_STEP_SUMMARY"; fi

      # One comment per environment, found by its marker and updated in place. A pull request
      # from a fork gets no secrets (the plan above is then offline, and says so) and no token
      # that may comment: its plan is in the job summary only.
      - name: Post or update the plan comment
        if: always() && steps.comment.outcome == 'success' && github.event.pull_request.head.repo.full_name == github.repository
        uses: actions/github-script@v7
        with:
          script: |
            const body = require('fs').readFileSync('comment.md', 'utf8');
            const marker = body.split('\\n', 1)[0];
            const { owner, repo } = context.repo;
            const issue_number = context.issue.number;
            const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number });
            const mine = comments.find((comment) => comment.body && comment.body.startsWith(marker));
            if (mine) await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
            else await github.rest.issues.createComment({ owner, repo, issue_number, body });

      - name: Fail when the plan failed
        if: always() && steps.plan.outputs.exitcode != '0' && steps.plan.outputs.exitcode != '2'
        run: exit 1

  apply:
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    permissions:
      contents: write
    strategy:
      # Environments apply one at a time, in the order listed, and a failed one cancels those
      # after it: prod applies only after staging succeeded.
      max-parallel: 1
      fail-fast: true
      matrix:
        include:
          - environment: ""
            apiKeyEnv: PPIO_API_KEY
    # One apply per environment at a time, never cancelled half-way. A merge that arrives
    # meanwhile waits; as each run applies the branch head, the last one covers them all.
    concurrency:
      group: ppio-deploy-apply-\${{ matrix.environment || 'default' }}
      cancel-in-progress: false
    env:
      PPIO_ENV: \${{ matrix.environment }}
    steps:
      # The branch head, not the event's commit: a run that waited sees the lockfile the
      # previous run pushed.
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.ref_name }}
          fetch-depth: 0
${INSTALL_AND_VALIDATE}
      - name: Apply
        env:
          PPIO_DEPLOY_KEY: \${{ secrets[matrix.apiKeyEnv] }}
          PPIO_DEPLOY_KEY_ENV: \${{ matrix.apiKeyEnv }}
        # Deletes and replaces are held back without --allow-delete; add it here to allow them.
        run: |
          export "$PPIO_DEPLOY_KEY_ENV=$PPIO_DEPLOY_KEY"
          ppio-deploy apply --auto-approve --wait

      # Also after a failed or cancelled apply: what was done is recorded.
      - name: Commit the lockfile
        if: always()
        env:
          BRANCH: \${{ github.ref_name }}
        run: |
          git config user.name "ppio-deploy"
          git config user.email "ppio-deploy@users.noreply.github.com"
          if [ -z "$(git status --porcelain -- '*.lock.json')" ]; then echo "The lockfile did not change."; exit 0; fi
          git add --all -- '*.lock.json'
          git commit -q -m "ppio-deploy: record applied endpoints\${PPIO_ENV:+ ($PPIO_ENV)} [skip ci]"
          for attempt in 1 2 3 4 5; do
            if git push -q origin "HEAD:$BRANCH"; then exit 0; fi
            echo "$BRANCH moved; rebasing the lockfile commit onto it (attempt $attempt)"
            if ! git pull -q --rebase origin "$BRANCH"; then
              git rebase --abort || true
              echo "::error::the lockfile commit does not rebase onto $BRANCH; commit the lockfile by hand"
              exit 1
            fi
          done
          echo "::error::could not push the lockfile to $BRANCH after 5 attempts"
          exit 1
`;
